import Foundation
import Messages

extension ContainersChild {
    public func update(_ ref: String, resources: Resources, restartPolicy: RestartPolicy?) async throws -> [String] {
        let id = try resolve(ref).id
        return try await serialized(id) {
            guard var record = records[id] else { throw EngineError.notFound("No such container: \(ref)") }
            record.hostConfig.resources = try Self.merging(resources, into: record.hostConfig.resources)
            if let restartPolicy, restartPolicy.Name?.isEmpty == false {
                record.hostConfig.RestartPolicy = restartPolicy
                try ContainerSetup.validate(record.hostConfig)
            }
            try specBuilder.validate(config: record.config, hostConfig: record.hostConfig)
            if entries[id]?.run != nil {
                let spec = try specBuilder.spec(for: try specRequest(record, rootfs: rootfsPath(id), args: [record.path] + record.args))
                let limits = try JSONEncoder().encode(spec.linux.resources)
                try await subsystems.containerd.ask { try await $0.updateTaskResources(id, resources: limits) }
            }
            try save(record)
            await publish("update", record)
            return []
        }
    }

    /// `update` over `base`, member by member; a member `update` leaves out or sets to zero, empty or
    /// null keeps its value (the CLI sends every member, zero when not given).
    static func merging(_ update: Resources, into base: Resources) throws -> Resources {
        guard case .object(let changes) = JSONValue.encoding(update), case .object(var members) = JSONValue.encoding(base) else { return base }
        for (key, value) in changes where !value.isUnset {
            members.removeAll { $0.0 == key }
            members.append((key, value))
        }
        return try JSONDecoder().decode(Resources.self, from: JSONValue.object(members).encoded())
    }
}

extension JSONValue {
    /// Zero, empty, false or null: what the CLI sends for a value it was not given.
    var isUnset: Bool {
        switch self {
        case .null: true
        case .bool(let value): !value
        case .int(let value): value == 0
        case .double(let value): value == 0
        case .string(let value): value.isEmpty
        case .array(let values): values.isEmpty
        case .object(let members): members.isEmpty
        }
    }
}
