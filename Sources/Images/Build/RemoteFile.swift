import AsyncHTTPClient
import Foundation
import Messages
import NIOCore

/// A file `ADD <url>` (or a `remote` build context) downloads: saved under the build's scratch
/// directory, named after the URL's last path component, mode `0600` as Docker gives it.
struct RemoteFile {
    let path: String
    let name: String

    /// The largest download berthd takes for one build (a context or an `ADD` source).
    static let maxSize = 8 << 30
    static let timeout: TimeAmount = .minutes(30)

    static func download(_ url: String, into directory: String) async throws -> RemoteFile {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme) else {
            throw EngineError.invalidArgument("unsupported URL \(url): only http and https are downloaded")
        }
        let name = parsed.lastPathComponent.isEmpty || parsed.lastPathComponent == "/" ? "__unnamed__" : parsed.lastPathComponent
        let path = directory + "/download-" + EngineID.random().prefix(12)
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: timeout)
        } catch {
            throw EngineError.invalidArgument("failed to download \(url): \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw EngineError.invalidArgument("failed to GET \(url) with status \(response.status.code) \(response.status.reasonPhrase)")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw EngineError.internal("cannot create \(path)") }
        defer { try? handle.close() }
        var written = 0
        for try await buffer in response.body {
            written += buffer.readableBytes
            guard written <= maxSize else { throw EngineError(.tooLarge, "\(url) is larger than \(maxSize) bytes") }
            try handle.write(contentsOf: Data(buffer.readableBytesView))
        }
        return RemoteFile(path: path, name: name)
    }
}
