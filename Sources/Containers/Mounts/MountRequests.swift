import Foundation
import Messages

/// A container's mounts as `docker create` asks for them — `--volumes-from`, `-v` (`Binds`), `--mount`
/// (`Mounts`), and the image's and `-v /path`'s `Volumes` — turned into mount points, with the volumes
/// to claim (volume mounts whose `Name` is still empty are anonymous).
struct MountRequests {
    /// A mount point, and for a volume created by `--mount` the options and labels it gets.
    struct Request {
        var point: MountPoint
        var volumeOptions: [String: String] = [:]
        var volumeLabels: [String: String] = [:]
    }

    private(set) var requests: [Request] = []

    static let propagationModes: Set<String> = ["private", "rprivate", "shared", "rshared", "slave", "rslave"]

    /// `inherited`: the mount points of the `--volumes-from` containers, with their access mode.
    init(config: ContainerConfig, host: HostConfig, inherited: [MountPoint]) throws {
        let driver = host.VolumeDriver ?? ""
        var explicit = try (host.Binds ?? []).map { Request(point: try Self.bind($0, driver: driver)) }
        explicit += try (host.Mounts ?? []).map { try Self.mount($0, driver: driver) }
        var seen = Set<String>()
        for request in explicit where !seen.insert(request.point.Destination).inserted {
            throw EngineError.invalidArgument("Duplicate mount point: \(request.point.Destination)")
        }
        requests = inherited.filter { !seen.contains($0.Destination) }.map { Request(point: $0) } + explicit
        for path in (config.Volumes ?? [:]).keys.sorted() {
            let destination = try Self.destination(path)
            guard !requests.contains(where: { $0.point.Destination == destination }) else { continue }
            requests.append(Request(point: MountPoint(type: "volume", destination: destination, driver: driver, copyImageContent: true)))
        }
    }

    /// The volume mounts and what they need from the volumes child.
    var volumeClaims: [(index: Int, claim: VolumeClaim)] {
        requests.indices.filter { requests[$0].point.Type == "volume" }.map { index in
            let request = requests[index]
            let name = request.point.Name
            return (index, VolumeClaim(name: name.isEmpty ? nil : name, driver: request.point.Driver, options: request.volumeOptions, labels: request.volumeLabels))
        }
    }

    /// `-v SOURCE:DESTINATION[:MODE]`: a host path (absolute source) or a named volume; `-v PATH` alone
    /// is an anonymous volume.
    static func bind(_ text: String, driver: String) throws -> MountPoint {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw EngineError.invalidArgument("invalid volume specification: '\(text)'")
        }
        if parts.count == 1 {
            return MountPoint(type: "volume", destination: try destination(parts[0]), driver: driver, copyImageContent: true)
        }
        let mode = parts.count == 3 ? parts[2] : ""
        let flags = mode.split(separator: ",").map(String.init)
        for flag in flags where !(["ro", "rw", "z", "Z", "nocopy"] + propagationModes).contains(flag) {
            throw EngineError.invalidArgument("invalid mode: \(mode)")
        }
        let readOnly = flags.contains("ro")
        let target = try destination(parts[1])
        if parts[0].hasPrefix("/") {
            if !FileManager.default.fileExists(atPath: parts[0]) {
                try FileManager.default.createDirectory(atPath: parts[0], withIntermediateDirectories: true)
            }
            return MountPoint(
                type: "bind", source: parts[0], destination: target, mode: mode, rw: !readOnly,
                propagation: flags.first(where: propagationModes.contains) ?? "rprivate")
        }
        return MountPoint(type: "volume", name: parts[0], destination: target, driver: driver, mode: mode, rw: !readOnly, copyImageContent: !flags.contains("nocopy"))
    }

    /// `--mount type=bind|volume|tmpfs,…`.
    static func mount(_ spec: MountSpec, driver: String) throws -> Request {
        let target = try destination(spec.Target ?? "")
        let readOnly = spec.ReadOnly ?? false
        switch spec.Type ?? "volume" {
        case "bind":
            guard let source = spec.Source, source.hasPrefix("/") else {
                throw EngineError.invalidArgument("invalid mount config for type \"bind\": invalid mount path: '\(spec.Source ?? "")' mount path must be absolute")
            }
            guard FileManager.default.fileExists(atPath: source) else {
                throw EngineError.invalidArgument("invalid mount config for type \"bind\": bind source path does not exist: \(source)")
            }
            let propagation = spec.BindOptions?["Propagation"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "rprivate"
            guard propagationModes.contains(propagation) else { throw EngineError.invalidArgument("invalid propagation mode: \(propagation)") }
            return Request(point: MountPoint(type: "bind", source: source, destination: target, rw: !readOnly, propagation: propagation))
        case "volume":
            let options = spec.VolumeOptions
            let noCopy = options?["NoCopy"] == .bool(true)
            let volumeDriver = options?["DriverConfig"]?["Name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? driver
            let point = MountPoint(type: "volume", name: spec.Source ?? "", destination: target, driver: volumeDriver, rw: !readOnly, copyImageContent: !noCopy)
            return Request(point: point, volumeOptions: Self.strings(options?["DriverConfig"]?["Options"]), volumeLabels: Self.strings(options?["Labels"]))
        case "tmpfs":
            guard (spec.Source ?? "").isEmpty else { throw EngineError.invalidArgument("invalid mount config for type \"tmpfs\": source must not be specified") }
            var options: [String] = []
            // Negative values pass Docker's decoding (the CLI turns a `tmpfs-size` past Int64 into Int64.min)
            // but no mount takes them: a 400 here rather than a failure of every start.
            if case .int(let size)? = spec.TmpfsOptions?["SizeBytes"] {
                guard size >= 0 else { throw EngineError.invalidArgument("invalid mount config for type \"tmpfs\": invalid size \(size): it must not be negative") }
                options.append("size=\(size)")
            }
            if case .int(let mode)? = spec.TmpfsOptions?["Mode"] {
                guard UInt32(exactly: mode) != nil else { throw EngineError.invalidArgument("invalid mount config for type \"tmpfs\": invalid mode \(mode)") }
                options.append("mode=" + String(mode, radix: 8))
            }
            return Request(point: MountPoint(type: "tmpfs", destination: target, rw: !readOnly, tmpfsOptions: options.joined(separator: ",")))
        case let other:
            throw EngineError.invalidArgument("invalid mount config: mount type \"\(other)\" is not supported")
        }
    }

    private static func strings(_ value: JSONValue?) -> [String: String] {
        guard case .object(let members)? = value else { return [:] }
        return Dictionary(members.compactMap { key, value in value.stringValue.map { (key, $0) } }, uniquingKeysWith: { _, last in last })
    }

    /// An absolute container path other than `/`, without a trailing slash.
    static func destination(_ path: String) throws -> String {
        guard path.hasPrefix("/") else { throw EngineError.invalidArgument("invalid mount path: '\(path)' mount path must be absolute") }
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard trimmed != "/" else { throw EngineError.invalidArgument("invalid specification: destination can't be '/'") }
        return trimmed
    }
}
