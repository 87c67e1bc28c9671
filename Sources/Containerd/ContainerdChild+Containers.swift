import ContainerdAPI
import Foundation
import GRPCCore
import Messages
import SwiftProtobuf

extension ContainerdChild {
    /// How containerd names the type of an OCI spec packed in an `Any` (the bytes are JSON, not protobuf).
    static let specTypeURL = "types.containerd.io/opencontainers/runtime-spec/1/Spec"
    /// The type of a process spec packed for `Tasks.Exec`.
    static let processTypeURL = "types.containerd.io/opencontainers/runtime-spec/1/Process"
    /// The type of `linux.resources` packed for `Tasks.Update`.
    static let resourcesTypeURL = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources"
    static let runtime = "io.containerd.runc.v2"

    public func createContainer(_ id: String, spec: Data, labels: [String: String]) async throws {
        let created: Void? = try await callUnlessAlreadyExists("container create \(id)") { connection in
            try await self.sendCreate(id, spec: spec, labels: labels, on: connection)
        }
        if created == nil {
            try await deleteContainer(id)
            try await call("container create \(id)") { connection in try await self.sendCreate(id, spec: spec, labels: labels, on: connection) }
        }
    }

    private nonisolated func sendCreate(_ id: String, spec: Data, labels: [String: String], on connection: ContainerdConnection) async throws {
        _ = try await connection.containers.create(
            .with {
                $0.container = .with {
                    $0.id = id
                    $0.labels = labels
                    $0.runtime = .with { $0.name = Self.runtime }
                    $0.spec = Self.packed(spec, as: Self.specTypeURL)
                }
            },
            options: ContainerdConnection.unary)
    }

    public func updateContainerSpec(_ id: String, spec: Data) async throws {
        try await call("container update \(id)") { connection in
            _ = try await connection.containers.update(
                .with {
                    $0.container = .with {
                        $0.id = id
                        $0.spec = Self.packed(spec, as: Self.specTypeURL)
                    }
                    $0.updateMask = .with { $0.paths = ["spec"] }
                },
                options: ContainerdConnection.unary)
        }
    }

    public func deleteContainer(_ id: String) async throws {
        _ = try await callUnlessNotFound("container delete \(id)") { connection in
            try await connection.containers.delete(.with { $0.id = id }, options: ContainerdConnection.unary)
        }
    }

    static func packed(_ json: Data, as typeURL: String) -> Google_Protobuf_Any {
        .with {
            $0.typeURL = typeURL
            $0.value = json
        }
    }
}
