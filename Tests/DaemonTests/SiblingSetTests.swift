import Messages
import Supervision
import Testing

/// Each sibling set references exactly the siblings it declares, which is what makes its declaration
/// (shown in `/debug/supervision`, checked by `ChildContracts`) the truth about whom its child asks.
@Suite struct SiblingSetTests {
    static let tree = Supervisor(name: "berthd", children: [])

    @Test func everySetReferencesWhatItDeclares() throws {
        _ = try VolumesSiblings.declared(by: Self.tree)
        _ = try ContainersSiblings.declared(by: Self.tree)
        _ = try GraphDriverSiblings.declared(by: Self.tree)
        _ = try ImagesSiblings.declared(by: Self.tree)
        _ = try RestoreSiblings.declared(by: Self.tree)
        _ = try Subsystems.declared(by: Self.tree)
    }

    /// A set that declares less than it references.
    struct Undeclared: SiblingSet {
        static let requires: [ChildName] = [.containerd]
        static let calls: [ChildName] = []
        let containerd: ChildRef<any ContainerdService>
        let images: ChildRef<any ImagesService>

        init(_ refs: some ChildRefProvider) {
            containerd = refs.ref(to: .containerd)
            images = refs.ref(to: .images)
        }
    }

    @Test func aSetReferencingAnUndeclaredSiblingFailsItsChildsStart() async throws {
        #expect(throws: SiblingSetMismatch.self) { try Undeclared.declared(by: Self.tree) }
        let spec = ChildSpec(.graphdriver, siblings: Undeclared.self) { _, _ in Idle() }
        let supervisor = Supervisor(name: "berthd", children: [ChildSpec(name: "containerd") { _ in Idle() }, ChildSpec(name: "images") { _ in Idle() }, spec])
        await #expect(throws: SupervisionError.self) { try await supervisor.start() }
        #expect(await supervisor.snapshot().children.last?.lastError == "Undeclared declares containerd but references containerd, images")
    }

    struct Idle: ServingChild {}
}
