import Testing
@testable import Supervision

/// The rules of `ChildContracts`, one test each, and a supervisor refusing a tree that breaks one.
@Suite struct ChildContractsTests {
    static func spec(_ name: String, requires: [String] = [], calls: [String] = [], journal: Journal = Journal()) -> ChildSpec {
        ChildSpec(name: name, requires: requires, calls: calls) { _ in ScriptedChild(name: name, journal: journal) }
    }

    @Test func acceptsBootRequirementsOnEarlierChildrenAndCallsToAnyOther() throws {
        try ChildContracts.check([
            Self.spec("store"), Self.spec("engine", requires: ["store"], calls: ["front"]), Self.spec("front", requires: ["store", "engine"]),
        ])
    }

    @Test func refusesABootRequirementOnALaterChild() {
        #expect(throws: ChildContractError(child: "engine", sibling: "disk", rule: .requiresLaterChild)) {
            try ChildContracts.check([Self.spec("engine", requires: ["disk"]), Self.spec("disk")])
        }
    }

    @Test func refusesAnUnknownSibling() {
        #expect(throws: ChildContractError(child: "engine", sibling: "cache", rule: .unknownSibling)) {
            try ChildContracts.check([Self.spec("engine", calls: ["cache"])])
        }
        #expect(throws: ChildContractError(child: "engine", sibling: "cache", rule: .unknownSibling)) {
            try ChildContracts.check([Self.spec("engine", requires: ["cache"])])
        }
    }

    @Test func refusesASelfReference() {
        #expect(throws: ChildContractError(child: "engine", sibling: "engine", rule: .selfReference)) {
            try ChildContracts.check([Self.spec("engine", calls: ["engine"])])
        }
        #expect(throws: ChildContractError(child: "engine", sibling: "engine", rule: .selfReference)) {
            try ChildContracts.check([Self.spec("engine", requires: ["engine"])])
        }
    }

    @Test func refusesASiblingDeclaredTwice() {
        #expect(throws: ChildContractError(child: "engine", sibling: "store", rule: .declaredTwice)) {
            try ChildContracts.check([Self.spec("store"), Self.spec("engine", requires: ["store"], calls: ["store"])])
        }
    }

    @Test func theErrorNamesChildSiblingAndRule() {
        let error = ChildContractError(child: "engine", sibling: "disk", rule: .requiresLaterChild)
        #expect(error.description == "invalid child spec: engine requires disk at boot, but disk starts after it (a boot requirement must be an earlier child)")
    }

    @Test func aSupervisorRefusesABadTreeBeforeStartingAnyChild() async throws {
        let journal = Journal()
        let supervisor = Supervisor(
            name: "root", children: [Self.spec("engine", requires: ["disk"], journal: journal), Self.spec("disk", journal: journal)],
            clock: VirtualClock())
        await #expect(throws: ChildContractError(child: "engine", sibling: "disk", rule: .requiresLaterChild)) {
            try await supervisor.start()
        }
        #expect(journal.entries.isEmpty)
        #expect(await supervisor.snapshot().children.map(\.state) == [.idle, .idle])
    }

    @Test func theSnapshotShowsTheDeclarations() async throws {
        let supervisor = Supervisor(
            name: "root", children: [Self.spec("store"), Self.spec("engine", requires: ["store"], calls: ["front"]), Self.spec("front")],
            clock: VirtualClock())
        let children = await supervisor.snapshot().children
        #expect(children.map(\.requires) == [[], ["store"], []])
        #expect(children.map(\.calls) == [[], ["front"], []])
    }
}
