import ContainerdAPI
import Foundation
import Messages

extension ContainerdChild {
    /// The label that makes containerd's garbage collector drop a lease after this time (RFC 3339).
    static let leaseExpiryLabel = "containerd.io/gc.expire"

    /// Creates a lease named `berth-<uuid>` that containerd's collector removes after `expiresAfter`.
    public func createLease(expiresAfter: Duration) async throws -> String {
        let id = "berth-\(UUID().uuidString.lowercased())"
        let expiry = Self.rfc3339(Date.now.addingTimeInterval(Self.seconds(expiresAfter)))
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

    /// A time as Go's `time.RFC3339` parses it, in UTC: `2006-01-02T15:04:05Z`.
    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
