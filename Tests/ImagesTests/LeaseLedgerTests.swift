import Foundation
import Testing

@testable import Images

/// The images child's note of the leases it has not given back survives the child: the next
/// incarnation reads what a cut import left.
@Suite struct LeaseLedgerTests {
    @Test func notesAndForgetsLeasesAcrossInstances() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("berth-leases-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ledger = LeaseLedger(dataRoot: root)
        #expect(ledger.ids() == [])
        try ledger.add("berth-a")
        try ledger.add("berth-b")
        try ledger.remove("berth-a")
        #expect(LeaseLedger(dataRoot: root).ids() == ["berth-b"])
        try LeaseLedger(dataRoot: root).remove("berth-b")
        #expect(ledger.ids() == [])
    }
}
