import EngineAPI
import Events
import Foundation
import Messages
import Supervision
import Testing
@testable import Daemon

/// supervision.md documents the tree; the tree itself is data in `ChildName` and `BerthTree`. These
/// tests fail when the two drift apart.
@Suite struct SupervisionDocumentTests {
    struct DocumentedChild: Equatable {
        var name: String
        var restart: String
        var shutdownBudget: String
        var startTimeout: String
        var requires: [String]
        var calls: [String]
    }

    /// A cell of the `requires` or `calls` column: names separated by commas, `—` for none.
    static func names(_ cell: String) -> [String] {
        cell == "—" ? [] : cell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func documentedChildren() throws -> [DocumentedChild] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("supervision.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 7, Int(cells[0]) != nil else { return nil }
            return DocumentedChild(
                name: cells[1], restart: cells[2], shutdownBudget: cells[3], startTimeout: cells[4], requires: names(cells[5]),
                calls: names(cells[6]))
        }
    }

    @Test func documentedOrderIsTheStartOrder() throws {
        let documented = try Self.documentedChildren().map(\.name)
        #expect(documented == ChildName.allCases.map(\.rawValue))
        #expect(documented == ["containerd", "plugins", "volumes", "containers", "graphdriver", "images", "network", "restore", "api"])
    }

    @Test func documentedSpecsMatchTheTree() throws {
        let (tree, root) = try TestTree.make()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let actual = tree.specs.map { spec in
            DocumentedChild(
                name: spec.name, restart: spec.restart.rawValue, shutdownBudget: "\(Int(spec.shutdownBudget.seconds))s",
                startTimeout: "\(Int(spec.startTimeout.seconds))s", requires: spec.requires, calls: spec.calls)
        }
        #expect(try Self.documentedChildren() == actual)
    }

    @Test func theTreeKeepsItsContracts() throws {
        let (tree, root) = try TestTree.make()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ChildContracts.check(tree.specs)
    }
}

enum TestTree {
    /// A tree on a fresh data-root; the caller removes the returned directory.
    static func make() throws -> (BerthTree, String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("berth-tree-\(UUID().uuidString)").path
        var config = DaemonConfig()
        config.dataRoot = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let facts = HostFacts.read(dataRoot: root)
        let tree = BerthTree(
            config: config, listen: [], listenerSetup: try ListenerSetup(config: config, listen: [], environment: [:], logger: .init(label: "test")),
            events: try EventLog(dataRoot: root), configStore: ConfigStore(config), facts: facts,
            metrics: APIMetrics(), logger: .init(label: "test"))
        return (tree, root)
    }
}
