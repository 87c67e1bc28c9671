import Foundation
import NIOCore

/// A temporary file under `<data-root>/tmp` through which request and response bodies too large for a
/// message travel between the HTTP front and a child.
struct StagingFile: Sendable {
    let path: String

    init(_ environment: APIEnvironment, prefix: String) async throws {
        let directory = await environment.config.current.dataRoot + "/tmp"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = directory + "/\(prefix)-" + UUID().uuidString.lowercased()
    }

    func write(_ body: ByteBuffer) throws {
        try Data(body.readableBytesView).write(to: URL(fileURLWithPath: path))
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
