import Foundation
import Messages
import Testing

@testable import Containers

@Suite struct ExecJournalTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "exec-journal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func keepsTheSessionsOfARunForTheNextIncarnation() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = ExecConfig()
        config.Cmd = ["sh", "-c", "sleep 8; exit 3"]
        let running = ExecRecord(id: "a", containerID: "c", config: config, running: true, pid: 42)
        let ended = ExecRecord(id: "b", containerID: "c", config: config, exitCode: 3)
        try ExecJournal.save([running, ended], directory: directory)
        #expect(ExecJournal.load(directory: directory).sorted { $0.id < $1.id } == [running, ended])
        ExecJournal.remove(directory: directory)
        #expect(ExecJournal.load(directory: directory).isEmpty)
    }

    @Test func aMissingOrUnreadableJournalHoldsNoSessions() throws {
        let directory = try directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(ExecJournal.load(directory: directory).isEmpty)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory + "/execs.json"))
        #expect(ExecJournal.load(directory: directory).isEmpty)
    }
}
