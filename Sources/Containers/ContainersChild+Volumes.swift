import Foundation
import HostCommands
import Messages

extension ContainersChild {
    /// A new container's mount points, its volumes claimed (created when missing, anonymous ones
    /// named) so that they are referenced from now until the container is removed.
    func plannedMounts(_ config: ContainerConfig, _ host: HostConfig, containerID: String) async throws -> [MountPoint] {
        let requests = try MountRequests(config: config, host: host, inherited: try inheritedMounts(host.VolumesFrom ?? []))
        var points = requests.requests.map(\.point)
        let claims = requests.volumeClaims
        guard !claims.isEmpty else { return points }
        let volumes = try await subsystems.volumes.ask(deadline: .containerSetup) { try await $0.claim(claims.map(\.claim), for: containerID) }
        for ((index, _), volume) in zip(claims, volumes) {
            points[index].Name = volume.Name
            points[index].Source = volume.Mountpoint
            points[index].Driver = volume.Driver
        }
        return points
    }

    /// The volumes and binds of `--volumes-from CONTAINER[:ro|:rw]`, with that access mode if given.
    private func inheritedMounts(_ entries: [String]) throws -> [MountPoint] {
        try entries.flatMap { entry -> [MountPoint] in
            var ref = entry
            var mode: String?
            if let colon = entry.lastIndex(of: ":"), ["ro", "rw"].contains(entry[entry.index(after: colon)...]) {
                mode = String(entry[entry.index(after: colon)...])
                ref = String(entry[..<colon])
            }
            return try resolve(ref).mounts.filter { $0.Type != "tmpfs" }.map { point in
                var point = point
                if let mode {
                    point.RW = mode == "rw"
                    point.Mode = mode
                }
                point.copyImageContent = false
                return point
            }
        }
    }

    /// Mounts a starting container's volumes (an empty one gets the image's content at its
    /// destination first, as Docker does) and returns all its mounts for the runtime spec.
    func mountVolumes(_ id: String, rootfs: String) async throws -> [RuntimeSpec.Mount] {
        guard let record = records[id] else { return [] }
        var points = record.mounts
        var mounts: [RuntimeSpec.Mount] = []
        for index in points.indices {
            let point = points[index]
            switch point.Type {
            case "volume":
                let path = try await subsystems.volumes.ask(deadline: .containerSetup) { try await $0.mount(point.Name, for: id) }
                points[index].Source = path
                if point.copyImageContent { try await copyImageContent(of: record, rootfs: rootfs, at: point.Destination, into: path) }
                mounts.append(Self.bindMount(points[index]))
            case "bind":
                mounts.append(Self.bindMount(point))
            default:
                let options = try TmpfsOptions.merged(with: point.tmpfsOptions) + (point.RW ? [] : ["ro"])
                mounts.append(RuntimeSpec.Mount(destination: point.Destination, type: "tmpfs", source: "tmpfs", options: options))
            }
        }
        if points != record.mounts { try update(id) { $0.mounts = points } }
        return mounts
    }

    /// Lets go of a stopped container's volumes.
    func unmountVolumes(_ id: String) async {
        for point in records[id]?.mounts ?? [] where point.Type == "volume" {
            try? await subsystems.volumes.ask(deadline: .containerTeardown) { try await $0.unmount(point.Name, for: id) }
        }
    }

    private static func bindMount(_ point: MountPoint) -> RuntimeSpec.Mount {
        RuntimeSpec.Mount(
            destination: point.Destination, type: "bind", source: point.Source,
            options: ["rbind", point.RW ? "rw" : "ro", point.Propagation.isEmpty ? "rprivate" : point.Propagation])
    }

    /// Copies what the image has at `destination` into an empty volume (`cp -a`, keeping owners and
    /// modes, and the directory's own).
    private func copyImageContent(of record: ContainerRecord, rootfs: String, at destination: String, into volume: String) async throws {
        guard ((try? FileManager.default.contentsOfDirectory(atPath: volume)) ?? ["?"]).isEmpty,
            let source = try? ContainerRoot(path: rootfs, containerName: record.name).resolve(destination)
        else { return }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        let output = try await HostCommand(executable: "/bin/cp", arguments: ["-a", source + "/.", volume + "/"]).run()
        guard output.status == 0 else {
            throw EngineError.internal("copying the image's \(destination) into its volume failed: \(output.message)")
        }
    }
}
