import Messages
import Testing
@testable import Images

@Suite struct ImageReferenceTests {
    @Test(arguments: [
        ("busybox", "docker.io/library/busybox:latest", "busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36", "busybox:1.36"),
        ("team/app", "docker.io/team/app:latest", "team/app:latest"),
        ("127.0.0.1:5055/bb:1", "127.0.0.1:5055/bb:1", "127.0.0.1:5055/bb:1"),
        ("localhost/app", "localhost/app:latest", "localhost/app:latest"),
        ("registry.example.com/a/b/c:v2", "registry.example.com/a/b/c:v2", "registry.example.com/a/b/c:v2"),
        ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest", "busybox:latest"),
    ])
    func normalizesLikeDocker(input: String, full: String, familiar: String) throws {
        let reference = try ImageReference(parsing: input)
        #expect(reference.description == full)
        #expect(reference.familiar == familiar)
    }

    @Test func digestsAreKeptAndNeedNoTag() throws {
        let digest = "sha256:" + String(repeating: "a", count: 64)
        let reference = try ImageReference(parsing: "busybox@" + digest)
        #expect(reference.tag == nil)
        #expect(reference.digest == digest)
        #expect(reference.familiar == "busybox@" + digest)
    }

    @Test(arguments: ["", "Busybox", "busy box", "a//b", "bb:", "bb@sha256:12", ":tag", "-a/b", "a/b:" + String(repeating: "x", count: 129)])
    func rejectsInvalidNames(input: String) {
        #expect(throws: EngineError.self) { try ImageReference(parsing: input) }
    }

    @Test func uppercaseRepositoryIsExplained() {
        do {
            _ = try ImageReference(parsing: "Busybox")
            Issue.record("accepted an uppercase name")
        } catch {
            #expect(error.message.contains("must be lowercase"))
            #expect(error.code == .invalidArgument)
        }
    }
}
