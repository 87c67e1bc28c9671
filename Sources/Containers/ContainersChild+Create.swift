import Foundation
import Messages

extension ContainersChild {
    public func create(_ request: ContainerCreateRequest) async throws -> ContainerCreated {
        let id = Self.newID()
        let name = try reserveName(request.name, for: id)
        do {
            return try await create(request, id: id, name: name)
        } catch {
            if records[id] == nil && idsByName[name] == id { idsByName[name] = nil }
            throw error
        }
    }

    /// Takes the requested name, or a generated one, for container `id` before the create waits on
    /// anything: two creates running at once cannot both be given one name (a generated name was
    /// checked against the saved containers only, and the second save failed with a conflict).
    private func reserveName(_ requested: String?, for id: String) throws -> String {
        let name = try requested.map(Self.validName) ?? NameGenerator.generate { self.idsByName[$0] != nil }
        if let holder = idsByName[name] { throw Self.nameInUse(name, by: holder) }
        idsByName[name] = id
        return name
    }

    private func create(_ request: ContainerCreateRequest, id: String, name: String) async throws -> ContainerCreated {
        guard let imageName = request.config.Image, !imageName.isEmpty else {
            throw EngineError.invalidArgument("Config.Image must be specified")
        }
        let image = try await subsystems.images.ask { try await $0.containerImage(imageName) }
        var config = ContainerSetup.merge(request.config, image: image.config)
        if config.Hostname?.isEmpty ?? true {
            // On the host's network a container is called as the host is, as Docker names it.
            config.Hostname = request.hostConfig.NetworkMode == "host" ? DaemonFacts.nodeName() : String(id.prefix(12))
        }
        let command = try ContainerSetup.command(config)
        var hostConfig = request.hostConfig
        try ContainerSetup.validate(hostConfig)
        try ContainerSetup.validate(request.config.Healthcheck)
        _ = try PublishedPorts.requests(config, hostConfig)
        let networking = try await plannedNetworking(&hostConfig, request.networkingConfig)
        if config.MacAddress?.isEmpty ?? true {
            config.MacAddress = request.networkingConfig?.EndpointsConfig?.values.compactMap(\.MacAddress).first { !$0.isEmpty }
        }
        hostConfig.LogConfig = try effectiveLogConfig(hostConfig)
        try specBuilder.validate(config: config, hostConfig: hostConfig)

        let driver = try await subsystems.graphdriver.ask { try await $0.status() }.driver
        try await subsystems.graphdriver.ask(deadline: .storage) {
            try await $0.prepareContainerLayer(id, parentChainID: image.topChainID)
        }
        let directory = containerDirectory(id)
        let mounts: [MountPoint]
        do {
            mounts = try await plannedMounts(config, hostConfig, containerID: id)
        } catch {
            try? await subsystems.graphdriver.ask { try await $0.removeContainerLayer(id) }
            throw error
        }
        var record = ContainerRecord(
            id: id, name: name, createdNano: UnixTime.nowNano, path: command.first ?? "", args: Array(command.dropFirst()), config: config,
            hostConfig: hostConfig, networking: networking, mounts: mounts, imageID: image.id, hostnamePath: directory + "/hostname", hostsPath: directory + "/hosts",
            resolvConfPath: directory + "/resolv.conf", driver: driver)
        do {
            record.logPath = try logFiles(record).livePath
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try save(record)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            try? await subsystems.graphdriver.ask { try await $0.removeContainerLayer(id) }
            try? await subsystems.volumes.ask { try await $0.release(containerID: id, removeAnonymous: true) }
            throw error
        }
        await publish("create", record)
        return ContainerCreated(id: id, warnings: [])
    }

    public func rename(_ ref: String, to newName: String) async throws {
        let name = try Self.validName(newName)
        let record = try resolve(ref)
        try await serialized(record.id) {
            guard let current = records[record.id] else { throw EngineError.notFound("No such container: \(ref)") }
            guard current.name != name else { throw EngineError.conflict("Renaming a container with the same name as its current name") }
            if let holder = idsByName[name] { throw Self.nameInUse(name, by: holder) }
            let oldName = current.name
            try update(record.id) { $0.name = name }
            await publish("rename", records[record.id] ?? current, ["oldName": "/" + oldName])
        }
    }

    static func nameInUse(_ name: String, by holder: String) -> EngineError {
        .conflict(
            "Conflict. The container name \"/\(name)\" is already in use by container \"\(holder)\". You have to remove (or rename) that container to be able to reuse that name.")
    }

    /// Docker's name rule: `[a-zA-Z0-9][a-zA-Z0-9_.-]+`, an optional leading `/` dropped.
    static func validName(_ requested: String) throws -> String {
        let name = requested.hasPrefix("/") ? String(requested.dropFirst()) : requested
        guard name.wholeMatch(of: #/[a-zA-Z0-9][a-zA-Z0-9_.-]+/#) != nil else {
            throw EngineError.invalidArgument("Invalid container name (\(requested)), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
        }
        return name
    }

    /// A random ID whose short form is not all digits (it must never read as a number).
    static func newID() -> String {
        while true {
            let id = EngineID.random()
            if id.prefix(12).contains(where: \.isLetter) { return id }
        }
    }
}
