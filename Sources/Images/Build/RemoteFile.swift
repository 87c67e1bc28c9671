import Archive
import AsyncHTTPClient
import Dockerfile
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

    /// A `remote` build context: the tarball at `url`, or, when it holds no tar, a context made of that
    /// one file as the Dockerfile. Git repositories are not fetched.
    static func context(_ url: String, into directory: String, dockerfilePath: String) async throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let file = try await download(url, into: directory)
        if ArchiveSniffer.isArchive(fileAt: file.path) { return file.path }
        let tarball = directory + "/remote-context.tar"
        let writer = try TarWriter(fileAt: tarball, permissions: 0o600)
        try writer.addFile(path: CleanPath.clean(dockerfilePath), mode: 0o600, fromFileAt: file.path)
        try writer.finish()
        return tarball
    }

    /// Refuses a `remote` that names a git repository, before anything is streamed.
    static func checkContextURL(_ url: String) throws {
        let isGit = url.hasPrefix("git://") || url.hasPrefix("git@") || url.hasSuffix(".git") || url.contains(".git#")
        guard !isGit else {
            throw EngineError.invalidArgument("git build contexts are not supported by berthd: send the context as a tarball or an http(s) URL of one")
        }
    }

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
