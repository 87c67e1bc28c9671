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

    /// containerd's texts for a full disk: a content write, a diff apply, runc at task create.
    @Test(arguments: [
        (RPCError.Code.unknown, "failed to copy: write /d/containerd/io.containerd.content.v1.content/ingest/9f/data: no space left on device"),
        (.internalError, "failed to extract layer sha256:abc: mkdir /d/snapshots/7/fs/bin: no space left on device: unknown"),
        (.failedPrecondition, "OCI runtime create failed: write /run/x/config.json: no space left on device: unknown"),
    ])
    func aFullDiskIsInsufficientStorage(rpc: RPCError.Code, text: String) {
        let error = EngineError.containerd("content write sha256:abc", RPCError(code: rpc, message: text))
        #expect(error.code == .insufficientStorage)
        #expect(error.message == "containerd: content write sha256:abc: " + text)
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
