import Foundation
import NIOCore

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
        try Data(request.body.readableBytesView).write(to: URL(fileURLWithPath: path))
    }

    /// Streams the file to a response in 1 MiB chunks.
    func stream(to writer: ResponseBodyWriter) async throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            try await writer.write(ByteBuffer(bytes: chunk))
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
