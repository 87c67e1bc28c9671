import ContainerdAPI
import Foundation
import Messages

extension ContainerdChild {
    /// The label that makes containerd's garbage collector drop a lease after this time (RFC 3339).
    static let leaseExpiryLabel = "containerd.io/gc.expire"

    /// Creates a lease named `berth-<uuid>` that containerd's collector removes after `expiresAfter`.
    public func createLease(expiresAfter: Duration) async throws -> String {
        let id = "berth-\(UUID().uuidString.lowercased())"
        let (seconds, attoseconds) = expiresAfter.components
        // RFC 3339 with a fraction, which Go's time.RFC3339 parsing accepts.
        let expiry = UnixTime.rfc3339(nano: UnixTime.nowNano + seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        _ = try await call("lease create \(id)") { connection in
            try await connection.leases.create(
                .with {
                    $0.id = id
                    $0.labels = [Self.leaseExpiryLabel: expiry]
                },
                options: ContainerdConnection.unary)
        }
        return id
    }

    /// Deletes a lease; what only it protected is collected at containerd's next collection.
    public func deleteLease(_ id: String) async throws {
        _ = try await callUnlessNotFound("lease delete \(id)") { connection in
            try await connection.leases.delete(.with { $0.id = id }, options: ContainerdConnection.unary)
        }
    }
}
