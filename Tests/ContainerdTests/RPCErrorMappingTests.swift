import GRPCCore
import Messages
import Testing

@testable import Containerd

@Suite struct RPCErrorMappingTests {
    @Test(arguments: [
        (RPCError.Code.notFound, EngineError.Code.notFound),
        (.alreadyExists, .conflict),
        (.invalidArgument, .invalidArgument),
        (.failedPrecondition, .invalidArgument),
        (.unavailable, .unavailable),
        (.deadlineExceeded, .deadlineExceeded),
        (.internalError, .internal),
        (.unknown, .internal),
    ])
    func codes(rpc: RPCError.Code, engine: EngineError.Code) {
        let error = EngineError.containerd("content info sha256:abc", RPCError(code: rpc, message: "it failed"))
        #expect(error.code == engine)
        #expect(error.message == "containerd: content info sha256:abc: it failed")
    }

    @Test func engineErrorsPassThrough() {
        let original = EngineError.invalidArgument("digest mismatch")
        #expect(EngineError.containerd("content write", original) == original)
    }

    @Test func everyCallFailsFastWithoutAConnection() async throws {
        let child = ContainerdChild(dataRoot: "/nonexistent", execRoot: "/nonexistent", address: "")
        let unavailable = EngineError.unavailable("containerd is not connected")
        await #expect(throws: unavailable) { _ = try await child.contentInfo("sha256:00") }
        await #expect(throws: unavailable) { _ = try await child.createLease(expiresAfter: .seconds(60)) }
        await #expect(throws: unavailable) { _ = try await child.imageRecords() }
        await #expect(throws: unavailable) { _ = try await child.snapshotExists("x", snapshotter: "overlayfs") }
        await #expect(throws: unavailable) {
            _ = try await child.importContent(
                fromFile: "/etc/hostname", mediaType: "application/octet-stream", expectedDigest: nil, labels: [:], lease: nil)
        }
    }
}
