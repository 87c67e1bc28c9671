import Foundation
import Messages

extension ContainersChild {
    /// The networks a new container will join, resolved as Docker stores them: `NetworkMode` becomes
    /// the network's name (the default one is `bridge`), and each network is keyed by name with the
    /// settings the user gave for it.
    func plannedNetworking(_ hostConfig: inout HostConfig, _ requested: NetworkingConfig?) async throws -> ContainerNetworking {
        let given = hostConfig.NetworkMode ?? ""
        let mode = given.isEmpty || given == "default" ? "bridge" : given
        hostConfig.NetworkMode = mode
        if mode.hasPrefix("container:") { return ContainerNetworking() }
        let endpoints = requested?.EndpointsConfig ?? [:]
        let primary = try await network(mode)
        hostConfig.NetworkMode = primary.Name
        var networking = ContainerNetworking()
        networking.networks[primary.Name] = try Self.checked(
            endpoints[given] ?? endpoints[mode] ?? endpoints[primary.Name] ?? endpoints[primary.Id] ?? EndpointSettings(), for: primary)
        for (ref, settings) in endpoints where ![given, mode, primary.Name, primary.Id].contains(ref) {
            guard primary.Driver == "bridge" else {
                throw EngineError.invalidArgument("container cannot be connected to multiple networks with one of the networks in private (\(primary.Name)) mode")
            }
            let other = try await network(ref)
            networking.networks[other.Name] = try Self.checked(settings, for: other)
        }
        return networking
    }

    /// A network a new container names. A missing one is the request's fault (400): a 404 would make
    /// the docker CLI think the image is missing and try to pull it.
    private func network(_ ref: String) async throws -> NetworkDescription {
        do {
            return try await subsystems.network.ask { try await $0.network(ref) }
        } catch let error as EngineError where error.code == .notFound {
            throw EngineError.invalidArgument(error.message)
        }
    }

    /// The settings for a network, refused where Docker refuses them: aliases and static addresses
    /// only on user networks.
    private static func checked(_ settings: EndpointSettings, for network: NetworkDescription) throws -> EndpointSettings {
        var settings = settings.requested
        settings.NetworkID = network.Id
        let userNetwork = network.Driver == "bridge" && network.Name != "bridge"
        if !userNetwork && !(settings.Aliases ?? []).isEmpty {
            throw EngineError.invalidArgument("network-scoped alias is supported only for containers in user defined networks")
        }
        if !userNetwork && !(settings.IPAMConfig?.IPv4Address ?? "").isEmpty {
            throw EngineError.invalidArgument("user specified IP address is supported on user defined networks only")
        }
        return settings
    }

    /// What a starting container asks of the network child, or nil when it has no sandbox of its own
    /// (`none` keeps a private namespace with only `lo`; `host` and `container:` share one).
    func sandboxRequest(_ record: ContainerRecord) throws -> SandboxRequest? {
        let mode = record.hostConfig.NetworkMode ?? "bridge"
        guard mode != "none", mode != "host", !mode.hasPrefix("container:") else { return nil }
        var primarySettings = record.networking.networks[mode] ?? EndpointSettings()
        if primarySettings.MacAddress == nil { primarySettings.MacAddress = record.config.MacAddress }
        let primary = EndpointRequest(network: mode, settings: primarySettings)
        let others = record.networking.networks.filter { $0.key != mode }.sorted { $0.key < $1.key }.map { EndpointRequest(network: $0.key, settings: $0.value) }
        return SandboxRequest(
            containerID: record.id, containerName: record.name, hostname: record.config.Hostname ?? String(record.id.prefix(12)),
            networks: [primary] + others, ports: try PublishedPorts.requests(record.config, record.hostConfig), dnsServers: record.hostConfig.Dns ?? [])
    }

    /// Gives a starting container its sandbox and records what it got.
    func attachSandbox(_ id: String) async throws -> Sandbox? {
        guard let record = records[id], let request = try sandboxRequest(record) else { return nil }
        let sandbox = try await subsystems.network.ask(deadline: .containerSetup) { try await $0.attach(request) }
        try update(id) { record in
            record.networking.sandboxKey = sandbox.path
            record.networking.ports = sandbox.ports
            for endpoint in sandbox.endpoints { record.networking.networks[endpoint.network] = endpoint.settings }
        }
        return sandbox
    }

    /// Releases a container's sandbox once it stopped; only the requested settings stay. When the
    /// network child cannot release it (it is restarting), the record keeps the sandbox and the release
    /// is tried again in the background (and by the next incarnation's `reconcile`).
    func detachSandbox(_ id: String, attempt: Int = 1) async {
        guard let record = records[id], !record.networking.sandboxKey.isEmpty else { return }
        do {
            try await subsystems.network.ask(deadline: .containerTeardown) { try await $0.detach(id) }
        } catch {
            logger?.warning("releasing the network sandbox failed", metadata: ["container": "\(id)", "attempt": "\(attempt)", "error": "\(error)"])
            if attempt < 30 { retrySandboxRelease(id, attempt: attempt + 1) }
            return
        }
        try? update(id) { $0.networking = $0.networking.stopped }
    }

    /// Tries a failed sandbox release again after 2 s, unless the container runs again by then.
    private func retrySandboxRelease(_ id: String, attempt: Int) {
        Task {
            try? await Task.sleep(for: .seconds(2))
            try? await self.serialized(id) {
                guard !self.letGo, let record = self.records[id], !record.state.isRunning else { return }
                await self.detachSandbox(id, attempt: attempt)
            }
        }
    }

    public func connect(_ ref: String, network: String, settings: EndpointSettings) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            guard let record = records[id] else { throw EngineError.notFound("No such container: \(ref)") }
            let mode = record.hostConfig.NetworkMode ?? ""
            if mode == "host" || mode == "none" || mode.hasPrefix("container:") {
                throw EngineError.invalidArgument("container sharing network namespace with another container or host cannot be connected to any other network")
            }
            let target = try await subsystems.network.ask { try await $0.network(network) }
            guard target.Driver == "bridge" else {
                throw EngineError.invalidArgument("container cannot be disconnected from host network or connected to host network")
            }
            if record.networking.networks[target.Name] != nil {
                throw EngineError(.forbidden, "endpoint with name \(record.name) already exists in network \(target.Name)")
            }
            let requested = try Self.checked(settings, for: target)
            if record.networking.sandboxKey.isEmpty {
                try update(id) { $0.networking.networks[target.Name] = requested }
            } else {
                let attached = try await subsystems.network.ask(deadline: .containerSetup) {
                    try await $0.connect(id, EndpointRequest(network: target.Id, settings: requested))
                }
                try update(id) { $0.networking.networks[attached.network] = attached.settings }
            }
        }
    }

    public func disconnect(_ ref: String, network: String, force: Bool) async throws {
        let id = try resolve(ref).id
        try await serialized(id) {
            guard let record = records[id] else { throw EngineError.notFound("No such container: \(ref)") }
            let target = try await subsystems.network.ask { try await $0.network(network) }
            guard record.networking.networks[target.Name] != nil else {
                throw EngineError.invalidArgument("container \(record.id) is not connected to network \(target.Name)")
            }
            if target.Driver != "bridge" {
                throw EngineError.invalidArgument("container cannot be disconnected from host network or connected to host network")
            }
            if !record.networking.sandboxKey.isEmpty {
                do {
                    try await subsystems.network.ask(deadline: .containerTeardown) { try await $0.disconnect(id, network: target.Id) }
                } catch where force {
                    logger?.warning("forced disconnect", metadata: ["container": "\(id)", "error": "\(error)"])
                }
            }
            try update(id) { $0.networking.networks[target.Name] = nil }
        }
    }

    /// The containers whose task runs: a container waiting to be restarted holds no sandbox or mount.
    public func runningIDs() async throws -> Set<String> {
        Set(entries.compactMap { $0.value.run == nil ? nil : $0.key })
    }
}
