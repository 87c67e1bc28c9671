import Containers
import Foundation
import Messages
import Synchronization

/// A temporary container directory for one logs test, and a clock that ticks one second per reading.
/// Call `remove()` when done (`defer { fixture.remove() }`).
struct LogsFixture {
    static let containerID = "c0ffee"
    static let start: Int64 = 1_700_000_000

    let directory: String
    let clock = LogsTestClock(start: start)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("logs-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func files(_ driver: LogDriver = .jsonFile(LogRotation(maxSize: nil, maxFiles: 1))) -> ContainerLogFiles {
        ContainerLogFiles(directory: directory, containerID: Self.containerID, driver: driver)
    }

    func writer(_ driver: LogDriver = .jsonFile(LogRotation(maxSize: nil, maxFiles: 1))) throws -> ContainerLogWriter {
        let clock = clock
        return try ContainerLogWriter(files: files(driver), now: { clock.tick() })
    }

    /// The names of the files in the directory, sorted.
    func fileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    func contents(_ name: String) throws -> String {
        try String(decoding: Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)), as: UTF8.self)
    }
}

/// Hands out `start`, `start + 1 s`, `start + 2 s`, … so that every write gets its own second.
final class LogsTestClock: Sendable {
    private let next: Mutex<Int64>

    init(start: Int64) { next = Mutex(start) }

    func tick() -> LogTimestamp {
        next.withLock { seconds in
            defer { seconds += 1 }
            return LogTimestamp(seconds: seconds)
        }
    }
}

extension ContainerLogWriter {
    /// Writes `text` on `stream`; whether that stopped or resumed the collection.
    @discardableResult
    func write(_ text: String, _ stream: StdStream = .stdout) throws -> CollectionChange? {
        try write(Array(text.utf8), from: stream)
    }
}

extension ContainerLogMessages {
    /// Every message until the sequence ends.
    func collect() async throws -> [LogMessage] {
        var messages: [LogMessage] = []
        for try await message in self { messages.append(message) }
        return messages
    }
}

extension [LogMessage] {
    /// The messages' bytes as text, one string each.
    var texts: [String] { map { String(decoding: $0.bytes, as: UTF8.self) } }
}
