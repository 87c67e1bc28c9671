import Digests
import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
@testable import Registry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers for the registry tests: temporary directories, a real `docker-registry` on loopback, a fake
/// bearer-token registry in Python, and test content.
enum Fixtures {
    static let registryBinary = "/usr/bin/docker-registry"
    static let htpasswdBinary = "/usr/bin/htpasswd"

    static var hasRegistry: Bool { FileManager.default.isExecutableFile(atPath: registryBinary) }
    static var hasHtpasswd: Bool { FileManager.default.isExecutableFile(atPath: htpasswdBinary) }
    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func client() -> RegistryClient {
        RegistryClient(logger: Logger(label: "registry-tests"))
    }

    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "registry-tests-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A TCP port on 127.0.0.1 nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw FixtureError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a program to completion and returns its standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("\(executable) exited with \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits until `url` answers HTTP at all (any status), polling for up to 15 s.
    static func waitUntilAnswering(_ url: String, process: Process, log: String) async throws {
        for _ in 0..<150 {
            guard process.isRunning else { throw FixtureError("server exited early: \(tail(of: log))") }
            if (try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(1))) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FixtureError("server did not answer \(url): \(tail(of: log))")
    }

    /// Stops a process this test started: SIGTERM to its pid, SIGKILL if it is still there after 5 s
    /// (children inherit the test process's blocked signals), then reaps it.
    static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        for _ in 0..<50 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    static func tail(of log: String) -> String {
        String((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(2000) ?? "")
    }

    /// A blob: its bytes and digest.
    struct Blob {
        let bytes: [UInt8]
        var digest: String { SHA256Digest.of(bytes) }
        var size: Int64 { Int64(bytes.count) }

        init(_ bytes: [UInt8]) { self.bytes = bytes }
        init(_ text: String) { self.bytes = Array(text.utf8) }

        func write(in directory: String) throws -> String {
            let path = directory + "/" + digest.replacingOccurrences(of: ":", with: "-")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }
    }

    /// A tiny image: a config blob, a "layer" blob of `layerSize` pseudo-random bytes and the Docker
    /// schema 2 manifest naming them.
    struct TestImage {
        let config: Blob
        let layer: Blob
        let manifest: [UInt8]
        static let manifestMediaType = "application/vnd.docker.distribution.manifest.v2+json"

        init(layerSize: Int = 300_000, seed: UInt64 = 1) {
            var state = seed
            var layerBytes: [UInt8] = []
            layerBytes.reserveCapacity(layerSize)
            for _ in 0..<layerSize {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                layerBytes.append(UInt8(truncatingIfNeeded: state >> 33))
            }
            layer = Blob(layerBytes)
            config = Blob(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(layer.digest)"]},"config":{}}"#)
            manifest = Array("""
                {"schemaVersion":2,"mediaType":"\(Self.manifestMediaType)",\
                "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"\(config.digest)","size":\(config.size)},\
                "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"\(layer.digest)","size":\(layer.size)}]}
                """.utf8)
        }
    }
}

/// The last value a progress callback was given.
final class ProgressRecorder: Sendable {
    private let value = Mutex<Int64?>(nil)
    var last: Int64? { value.withLock { $0 } }
    func set(_ done: Int64) { value.withLock { $0 = done } }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A real registry (`docker-registry`, the Distribution project's) on 127.0.0.1 with its storage in a
/// temporary directory, optionally with htpasswd basic auth. Stopped by the pid it was started with.
final class TestRegistry {
    let process: Process
    let directory: String
    let host: String

    /// Starts a registry and waits until it answers; `users` turns on basic auth with those users.
    static func start(users: [String: String] = [:]) async throws -> TestRegistry {
        let directory = try Fixtures.temporaryDirectory()
        let port = try Fixtures.freePort()
        var config = """
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: \(directory)/storage
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)

            """
        if !users.isEmpty {
            var lines = ""
            for (user, password) in users.sorted(by: { $0.key < $1.key }) {
                lines += try Fixtures.run(Fixtures.htpasswdBinary, ["-Bbn", user, password]).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
            }
            try lines.write(toFile: directory + "/htpasswd", atomically: true, encoding: .utf8)
            config += """
                auth:
                  htpasswd:
                    realm: test
                    path: \(directory)/htpasswd

                """
        }
        try config.write(toFile: directory + "/config.yml", atomically: true, encoding: .utf8)
        let log = directory + "/registry.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Fixtures.registryBinary)
        process.arguments = ["serve", directory + "/config.yml"]
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        let registry = TestRegistry(process: process, directory: directory, host: "127.0.0.1:\(port)")
        do {
            try await Fixtures.waitUntilAnswering("http://127.0.0.1:\(port)/v2/", process: process, log: log)
        } catch {
            registry.stop()
            throw error
        }
        return registry
    }

    private init(process: Process, directory: String, host: String) {
        self.process = process
        self.directory = directory
        self.host = host
    }

    /// Where the registry keeps a blob's bytes (to tamper with them).
    func blobDataPath(_ digest: String) -> String {
        let hex = String(digest.dropFirst("sha256:".count))
        return "\(directory)/storage/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }

    /// Stops the registry by the pid it was started with, waits for it and removes its storage.
    func stop() {
        Fixtures.terminate(process)
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A fake registry in Python (`http.server`) that wants bearer tokens, with its own token server:
///
/// - `/v2/` and `/v2/x/manifests/…` answer 401 with `WWW-Authenticate: Bearer realm="http://127.0.0.1:P/token",
///   service="fake",scope="repository:x:pull"` unless the request carries the token issued for user/pass.
/// - `GET /token` issues that token for basic `user:pass`, an anonymous one without credentials (which
///   the manifest refuses), and 401 `{"details":"incorrect username or password"}` otherwise;
///   `POST /token` issues it for the refresh token `refresh-me`.
/// - `/v2/x/manifests/1` and `/v2/x/manifests/<its digest>` serve one manifest; `/v2/x/manifests/<other
///   digest>` serves it too (a lying registry); `/v2/x/blobs/<digest of "layer">` redirects (307) to
///   `http://localhost:P/storage/layer`, another origin.
/// - `/stats` tells how many tokens were issued, which scopes were asked for, how many 401s were sent
///   and whether the storage saw an `Authorization` header.
final class FakeBearerRegistry {
    let process: Process
    let directory: String
    let port: Int
    var host: String { "127.0.0.1:\(port)" }

    static let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{},"layers":[]}"#.utf8)
    static let blob = Array("layer".utf8)

    static let script = #"""
        import base64, hashlib, json, signal, sys, urllib.parse
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

        TOKEN = "good-token"
        MANIFEST = sys.argv[1].encode()
        DIGEST = "sha256:" + hashlib.sha256(MANIFEST).hexdigest()
        BLOB = b"layer"
        BLOB_DIGEST = "sha256:" + hashlib.sha256(BLOB).hexdigest()
        stats = {"tokens": 0, "scopes": [], "unauthorized": 0, "storageSawAuthorization": None}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def challenge(self):
                stats["unauthorized"] += 1
                port = self.server.server_address[1]
                realm = 'Bearer realm="http://127.0.0.1:%d/token",service="fake",scope="repository:x:pull"' % port
                body = json.dumps({"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]}).encode()
                self.reply(401, body, [("WWW-Authenticate", realm), ("Content-Type", "application/json")])

            def authorized(self):
                return self.headers.get("Authorization") == "Bearer " + TOKEN

            def issue(self, scopes):
                stats["tokens"] += 1
                stats["scopes"].extend(scopes)
                self.reply(200, json.dumps({"token": TOKEN, "expires_in": 300}).encode(), [("Content-Type", "application/json")])

            def do_GET(self):
                url = urllib.parse.urlparse(self.path)
                port = self.server.server_address[1]
                if url.path == "/stats":
                    return self.reply(200, json.dumps(stats).encode())
                if url.path == "/token":
                    query = urllib.parse.parse_qs(url.query)
                    auth = self.headers.get("Authorization")
                    if auth is None:
                        stats["tokens"] += 1
                        return self.reply(200, json.dumps({"access_token": "anonymous"}).encode())
                    if auth == "Basic " + base64.b64encode(b"user:pass").decode() and query.get("service") == ["fake"]:
                        return self.issue(query.get("scope", []))
                    return self.reply(401, json.dumps({"details": "incorrect username or password"}).encode())
                if url.path == "/storage/layer":
                    stats["storageSawAuthorization"] = "Authorization" in self.headers
                    return self.reply(200, BLOB, [("Content-Type", "application/octet-stream")])
                if not self.authorized():
                    return self.challenge()
                if url.path == "/v2/":
                    return self.reply(200, b"{}", [("Content-Type", "application/json")])
                if url.path.startswith("/v2/x/manifests/"):
                    return self.reply(200, MANIFEST, [
                        ("Content-Type", "application/vnd.docker.distribution.manifest.v2+json"),
                        ("Docker-Content-Digest", DIGEST)])
                if url.path == "/v2/x/blobs/" + BLOB_DIGEST:
                    return self.reply(307, b"", [("Location", "http://localhost:%d/storage/layer" % port)])
                self.reply(404, json.dumps({"errors": [{"code": "BLOB_UNKNOWN", "message": "blob unknown to registry"}]}).encode())

            do_HEAD = do_GET

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                if self.path == "/token" and form.get("grant_type") == ["refresh_token"] and form.get("refresh_token") == ["refresh-me"]:
                    return self.issue(form.get("scope", [""])[0].split())
                self.reply(401, json.dumps({"error": "invalid_grant", "error_description": "bad refresh token"}).encode())

        # The test process may have SIGTERM blocked, and children inherit that: unblock it to be stoppable.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    static func start(python: String) async throws -> FakeBearerRegistry {
        let directory = try Fixtures.temporaryDirectory()
        try script.write(toFile: directory + "/fake_registry.py", atomically: true, encoding: .utf8)
        let log = directory + "/fake.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [directory + "/fake_registry.py", String(decoding: manifest, as: UTF8.self)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        // The first line it prints is its port.
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { line.append(byte) }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            Fixtures.terminate(process)
            throw FixtureError("fake registry did not start: \(Fixtures.tail(of: log))")
        }
        let fake = FakeBearerRegistry(process: process, directory: directory, port: port)
        do {
            try await Fixtures.waitUntilAnswering("http://127.0.0.1:\(port)/stats", process: process, log: log)
        } catch {
            fake.stop()
            throw error
        }
        return fake
    }

    private init(process: Process, directory: String, port: Int) {
        self.process = process
        self.directory = directory
        self.port = port
    }

    struct Stats: Decodable {
        var tokens: Int
        var scopes: [String]
        var unauthorized: Int
        var storageSawAuthorization: Bool?
    }

    func stats() async throws -> Stats {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://\(host)/stats"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONDecoder().decode(Stats.self, from: Data(body.readableBytesView))
    }

    /// Stops the fake by the pid it was started with and removes its directory.
    func stop() {
        Fixtures.terminate(process)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
