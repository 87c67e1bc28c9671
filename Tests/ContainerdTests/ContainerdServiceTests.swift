import ContainerdAPI
import Foundation
import Messages
import Testing

@testable import Containerd

/// The `ContainerdService` requests against a real containerd 1.6 (each test starts its own). Needs root.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/containerd")))
struct ContainerdServiceTests {
    static let blobType = "application/octet-stream"
    static let layerType = "application/vnd.oci.image.layer.v1.tar"

    @Test func importComputesTheDigestAndIsIdempotent() async throws {
        try await ContainerdHarness.with { containerd in
            // Unleased content would be collected by containerd's first collection, 100 ms after it starts.
            let lease = try await containerd.ask { try await $0.createLease(expiresAfter: .seconds(600)) }
            let bytes = randomBytes((2 << 20) + 4321)
            let path = try containerd.file("blob", bytes)
            let digest = sha256(bytes)

            let first = try await containerd.ask {
                try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: nil, labels: ["a": "1"], lease: lease)
            }
            #expect(first == ContentDescriptor(mediaType: Self.blobType, digest: digest, size: Int64(bytes.count)))

            // Importing again only adds labels.
            let again = try await containerd.ask {
                try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: digest, labels: ["b": "2"], lease: lease)
            }
            #expect(again == first)
            let info = try await containerd.ask { try await $0.contentInfo(digest) }
            #expect(info == ContentInfo(digest: digest, size: Int64(bytes.count), labels: ["a": "1", "b": "2"]))
            let unlabelled = try await containerd.ask {
                try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: nil, labels: [:], lease: lease)
            }
            #expect(unlabelled == first)
            #expect(try await containerd.ingests().isEmpty)
        }
    }

    @Test func aWrongExpectedDigestFailsAndLeavesNothing() async throws {
        try await ContainerdHarness.with { containerd in
            // Unleased content would be collected by containerd's first collection, 100 ms after it starts.
            let lease = try await containerd.ask { try await $0.createLease(expiresAfter: .seconds(600)) }
            let bytes = randomBytes(1 << 20 | 77)
            let path = try containerd.file("blob", bytes)
            let wrong = sha256("something else")

            let error = await #expect(throws: EngineError.self) {
                try await containerd.ask {
                    try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: wrong, labels: [:], lease: lease)
                }
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains(wrong) == true)
            #expect(error?.message.contains(sha256(bytes)) == true)
            #expect(try await containerd.ask { try await $0.contentInfo(wrong) } == nil)
            #expect(try await containerd.ask { try await $0.contentInfo(sha256(bytes)) } == nil)
            #expect(try await containerd.ingests().isEmpty)

            // Malformed digests and missing files are refused before anything is sent.
            let malformed = await #expect(throws: EngineError.self) {
                try await containerd.ask {
                    try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: "sha256:abc", labels: [:], lease: lease)
                }
            }
            #expect(malformed?.code == .invalidArgument)
            let missing = await #expect(throws: EngineError.self) {
                try await containerd.ask {
                    try await $0.importContent(fromFile: path + ".missing", mediaType: Self.blobType, expectedDigest: nil, labels: [:], lease: lease)
                }
            }
            #expect(missing?.code == .invalidArgument)
        }
    }

    @Test func infoLabelsExportAndDelete() async throws {
        try await ContainerdHarness.with { containerd in
            // Unleased content would be collected by containerd's first collection, 100 ms after it starts.
            let lease = try await containerd.ask { try await $0.createLease(expiresAfter: .seconds(600)) }
            let bytes = randomBytes(3 << 20 | 5)
            let path = try containerd.file("blob", bytes)
            let digest = sha256(bytes)
            _ = try await containerd.ask {
                try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: digest, labels: ["old": "x"], lease: lease)
            }

            try await containerd.ask { try await $0.setContentLabels(digest, labels: ["containerd.io/gc.ref.content.l.0": sha256("l0")]) }
            let info = try await containerd.ask { try await $0.contentInfo(digest) }
            #expect(info?.labels == ["containerd.io/gc.ref.content.l.0": sha256("l0")])

            let exported = containerd.scratch + "/exported"
            try Data("stale, longer than nothing".utf8).write(to: URL(fileURLWithPath: exported))
            try await containerd.ask { try await $0.exportContent(digest, toFile: exported) }
            #expect(try Data(contentsOf: URL(fileURLWithPath: exported)) == Data(bytes))

            let absent = sha256("absent")
            let notFound = await #expect(throws: EngineError.self) {
                try await containerd.ask { try await $0.exportContent(absent, toFile: containerd.scratch + "/absent") }
            }
            #expect(notFound?.code == .notFound)
            #expect(!FileManager.default.fileExists(atPath: containerd.scratch + "/absent"))

            try await containerd.ask { try await $0.deleteContent(digest) }
            #expect(try await containerd.ask { try await $0.contentInfo(digest) } == nil)
            try await containerd.ask { try await $0.deleteContent(digest) }
        }
    }

    @Test func leasesExpireLaterAndProtectWhatIsImportedUnderThem() async throws {
        try await ContainerdHarness.with { containerd in
            let id = try await containerd.ask { try await $0.createLease(expiresAfter: .seconds(3600)) }
            let leases = try await containerd.probe.leases.list(.init()).leases
            let lease = try #require(leases.first { $0.id == id })
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            // berthd writes nine fractional digits; the formatter reads three.
            let label = try #require(lease.labels[ContainerdChild.leaseExpiryLabel])
            let expiry = try #require(fractional.date(from: label.replacingOccurrences(of: #"\.(\d{3})\d*Z"#, with: ".$1Z", options: .regularExpression)))
            #expect(abs(expiry.timeIntervalSinceNow - 3600) < 60)

            let bytes = randomBytes(1000)
            let path = try containerd.file("leased", bytes)
            _ = try await containerd.ask {
                try await $0.importContent(fromFile: path, mediaType: Self.blobType, expectedDigest: nil, labels: [:], lease: id)
            }
            let resources = try await containerd.probe.leases.listResources(.with { $0.id = id }).resources
            #expect(resources.contains { $0.id == sha256(bytes) && $0.type == "content" })

            try await containerd.ask { try await $0.deleteLease(id) }
            #expect(try await containerd.probe.leases.list(.init()).leases.allSatisfy { $0.id != id })
            try await containerd.ask { try await $0.deleteLease(id) }
        }
    }

    @Test func imageRecordsArePutListedUpdatedAndDeleted() async throws {
        try await ContainerdHarness.with { containerd in
            let manifest = "application/vnd.oci.image.manifest.v1+json"
            let record = ImageRecord(
                name: "docker.io/library/busybox:latest",
                target: ContentDescriptor(mediaType: manifest, digest: sha256("manifest 1"), size: 527),
                labels: ["berth.created": "1"])
            try await containerd.ask { try await $0.putImageRecord(record) }
            #expect(try await containerd.ask { try await $0.imageRecords() } == [record])

            let updated = ImageRecord(
                name: record.name, target: ContentDescriptor(mediaType: manifest, digest: sha256("manifest 2"), size: 600),
                labels: ["berth.updated": "2"])
            try await containerd.ask { try await $0.putImageRecord(updated) }
            #expect(try await containerd.ask { try await $0.imageRecords() } == [updated])

            try await containerd.ask { try await $0.deleteImageRecord(named: record.name) }
            #expect(try await containerd.ask { try await $0.imageRecords() } == [])
            try await containerd.ask { try await $0.deleteImageRecord(named: record.name) }
        }
    }

    @Test(arguments: ["overlayfs", "native"])
    func unpackLayers(snapshotter: String) async throws {
        try await ContainerdHarness.with { containerd in
            let lease = try await containerd.ask { try await $0.createLease(expiresAfter: .seconds(600)) }
            /// Imports a layer tar; its digest is its diff ID (it is not compressed).
            func importLayer(_ tar: String) async throws -> ContentDescriptor {
                try await containerd.ask {
                    try await $0.importContent(fromFile: tar, mediaType: Self.layerType, expectedDigest: nil, labels: [:], lease: lease)
                }
            }
            let base = try await importLayer(try containerd.layer("base", ["etc/hello.txt": "hello\n"]))
            let first = LayerUnpack(layer: base, diffID: base.digest, chainID: base.digest, parentChainID: nil)
            try await containerd.ask { try await $0.unpackLayer(first, snapshotter: snapshotter, lease: lease) }
            #expect(try await containerd.ask { try await $0.snapshotExists(first.chainID, snapshotter: snapshotter) })
            #expect(try await containerd.ask { try await $0.snapshotUsage(first.chainID, snapshotter: snapshotter) } > 0)
            #expect(try await containerd.snapshots(snapshotter) == [first.chainID: .committed])

            // Again: nothing to do.
            try await containerd.ask { try await $0.unpackLayer(first, snapshotter: snapshotter, lease: lease) }
            #expect(try await containerd.snapshots(snapshotter) == [first.chainID: .committed])

            let top = try await importLayer(try containerd.layer("top", ["usr/share/top.txt": "top\n"]))
            let second = LayerUnpack(
                layer: top, diffID: top.digest, chainID: sha256(first.chainID + " " + top.digest), parentChainID: first.chainID)
            try await containerd.ask { try await $0.unpackLayer(second, snapshotter: snapshotter, lease: lease) }
            #expect(try await containerd.ask { try await $0.snapshotExists(second.chainID, snapshotter: snapshotter) })
            let unpacked = try await containerd.snapshots(snapshotter)
            #expect(unpacked == [first.chainID: .committed, second.chainID: .committed])

            // A layer whose diff ID is not what the image says leaves no snapshot behind.
            let other = try await importLayer(try containerd.layer("other", ["tmp/other.txt": "other\n"]))
            let wrongDiffID = sha256("not the diff id")
            let wrong = LayerUnpack(
                layer: other, diffID: wrongDiffID, chainID: sha256(second.chainID + " " + wrongDiffID), parentChainID: second.chainID)
            let error = await #expect(throws: EngineError.self) {
                try await containerd.ask { try await $0.unpackLayer(wrong, snapshotter: snapshotter, lease: lease) }
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.message.contains(other.digest) == true)
            #expect(error?.message.contains(wrongDiffID) == true)
            #expect(try await containerd.snapshots(snapshotter) == unpacked)

            // A missing parent is an error, and leaves nothing either.
            let orphan = LayerUnpack(layer: other, diffID: other.digest, chainID: sha256("x " + other.digest), parentChainID: sha256("x"))
            let missingParent = await #expect(throws: EngineError.self) {
                try await containerd.ask { try await $0.unpackLayer(orphan, snapshotter: snapshotter, lease: lease) }
            }
            #expect(missingParent?.code == .notFound)
            #expect(try await containerd.snapshots(snapshotter) == unpacked)

            // The parent cannot go while its child is there.
            let busy = await #expect(throws: EngineError.self) {
                try await containerd.ask { try await $0.removeSnapshot(first.chainID, snapshotter: snapshotter) }
            }
            #expect(busy?.code == .invalidArgument)
            try await containerd.ask { try await $0.removeSnapshot(second.chainID, snapshotter: snapshotter) }
            try await containerd.ask { try await $0.removeSnapshot(first.chainID, snapshotter: snapshotter) }
            #expect(try await !containerd.ask { try await $0.snapshotExists(first.chainID, snapshotter: snapshotter) })
            #expect(try await containerd.snapshots(snapshotter).isEmpty)
            try await containerd.ask { try await $0.removeSnapshot(first.chainID, snapshotter: snapshotter) }
            try await containerd.ask { try await $0.deleteLease(lease) }
        }
    }
}
