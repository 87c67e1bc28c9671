import Foundation
import NIOCore
import NIOPosix

/// A temporary file under `<data-root>/tmp` through which request and response bodies too large for a
/// message travel between the HTTP front and a child.
struct StagingFile: Sendable {
    let path: String

    private init(path: String) { self.path = path }

    init(_ environment: APIEnvironment, prefix: String) async throws {
        let directory = environment.config.current.dataRoot + "/tmp"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = directory + "/\(prefix)-" + UUID().uuidString.lowercased()
    }

    /// The request's body as a file: the one the server spooled it to, or a new one holding it.
    init(holding request: HTTPRequest, _ environment: APIEnvironment, prefix: String) async throws {
        if let spooled = request.bodyFile {
            self.init(path: spooled)
            return
        }
        try await self.init(environment, prefix: prefix)
        let (body, path) = (request.body, self.path)
        try await NIOThreadPool.singleton.runIfActive { try Data(body.readableBytesView).write(to: URL(fileURLWithPath: path)) }
    }

    /// Streams the file to a response in 1 MiB chunks, read on NIO's blocking pool (never on an event
    /// loop); the next chunk is read only once the client has taken the last.
    func stream(to writer: ResponseBodyWriter) async throws {
        let (pool, path) = (NIOThreadPool.singleton, self.path)
        let handle = try await pool.runIfActive { try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) }
        defer { try? handle.close() }
        while let chunk = try await pool.runIfActive({ try handle.read(upToCount: 1 << 20) }), !chunk.isEmpty {
            try await writer.write(ByteBuffer(bytes: chunk))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
