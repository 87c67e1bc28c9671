import Foundation
import Messages

/// The shapes of the container endpoints' answers.
enum ContainerDocuments {
    static func inspect(_ record: ContainerRecord) -> JSONValue {
        let state = record.state
        var stateMembers: [(String, JSONValue)] = [
            ("Status", .string(state.status.rawValue)), ("Running", .bool(state.isRunning && state.status != .restarting)),
            ("Paused", .bool(state.status == .paused)), ("Restarting", .bool(state.status == .restarting)),
            ("OOMKilled", .bool(state.oomKilled)), ("Dead", .bool(state.status == .dead)), ("Pid", .from(state.pid)),
            ("ExitCode", .from(state.exitCode)), ("Error", .string(state.error)), ("StartedAt", .string(time(state.startedAtNano))),
            ("FinishedAt", .string(time(state.finishedAtNano))),
        ]
        if let health = state.health {
            stateMembers.append(("Health", [
                "Status": .string(health.status), "FailingStreak": .from(health.failingStreak),
                "Log": .array(health.log.map { probe in
                    ["Start": .string(UnixTime.rfc3339(nano: probe.startNano)), "End": .string(UnixTime.rfc3339(nano: probe.endNano)),
                     "ExitCode": .from(probe.exitCode), "Output": .string(probe.output)]
                }),
            ]))
        }
        return [
            "Id": .string(record.id), "Created": .string(UnixTime.rfc3339(nano: record.createdNano)), "Path": .string(record.path),
            "Args": .from(record.args), "State": .object(stateMembers), "Image": .string(record.imageID),
            "ResolvConfPath": .string(record.resolvConfPath), "HostnamePath": .string(record.hostnamePath),
            "HostsPath": .string(record.hostsPath), "LogPath": .string(record.logPath), "Name": .string("/" + record.name),
            "RestartCount": .from(record.restartCount), "Driver": .string(record.driver), "Platform": "linux", "MountLabel": "",
            "ProcessLabel": "", "AppArmorProfile": "", "ExecIDs": nil, "HostConfig": .encoding(record.hostConfig),
            "GraphDriver": ["Name": .string(record.driver), "Data": nil], "Mounts": mounts(record), "Config": .encoding(record.config),
            "NetworkSettings": NetworkSettingsDocument.inspect(record),
        ]
    }

    static func summary(_ record: ContainerRecord, now: Int64 = UnixTime.nowNano) -> JSONValue {
        // In key order, so the writer has nothing to sort (a list writes a thousand of these).
        [
            "Command": .string(([record.path] + record.args).joined(separator: " ")),
            "Created": .int(record.createdNano / 1_000_000_000),
            "HostConfig": ["NetworkMode": .string(record.hostConfig.NetworkMode ?? "none")],
            "Id": .string(record.id), "Image": .string(record.config.Image ?? record.imageID), "ImageID": .string(record.imageID),
            "Labels": .from(record.config.Labels ?? [:]), "Mounts": mounts(record), "Names": .from(["/" + record.name]),
            "NetworkSettings": ["Networks": NetworkSettingsDocument.networks(record)], "Ports": NetworkSettingsDocument.portList(record),
            "State": .string(record.state.status.rawValue), "Status": .string(status(record.state, now: now)),
        ]
    }

    /// `Mounts`: volumes, binds and tmpfs mounts, without berthd's own fields.
    static func mounts(_ record: ContainerRecord) -> JSONValue {
        .array(record.mounts.map { point in
            var members: [(String, JSONValue)] = [("Type", .string(point.Type))]
            if point.Type == "volume" { members += [("Name", .string(point.Name)), ("Driver", .string(point.Driver))] }
            members += [
                ("Source", .string(point.Source)), ("Destination", .string(point.Destination)), ("Mode", .string(point.Mode)),
                ("RW", .bool(point.RW)), ("Propagation", .string(point.Propagation)),
            ]
            return .object(members)
        })
    }

    /// `docker ps`'s status column: `Up 5 seconds`, `Exited (0) 2 minutes ago`, `Created`, …
    static func status(_ state: ContainerState, now: Int64) -> String {
        switch state.status {
        case .created: return "Created"
        case .running: return "Up " + HumanDuration.describe(now - state.startedAtNano) + healthSuffix(state)
        case .paused: return "Up " + HumanDuration.describe(now - state.startedAtNano) + " (Paused)"
        case .restarting: return "Restarting (\(state.exitCode)) " + HumanDuration.describe(now - state.finishedAtNano) + " ago"
        case .removing: return "Removal In Progress"
        case .dead: return "Dead"
        case .exited:
            guard state.finishedAtNano > 0 else { return "Exited (\(state.exitCode))" }
            return "Exited (\(state.exitCode)) " + HumanDuration.describe(now - state.finishedAtNano) + " ago"
        }
    }

    private static func healthSuffix(_ state: ContainerState) -> String {
        guard let health = state.health else { return "" }
        return health.status == "starting" ? " (health: starting)" : " (\(health.status))"
    }

    static func time(_ nano: Int64) -> String {
        nano > 0 ? UnixTime.rfc3339(nano: nano) : "0001-01-01T00:00:00Z"
    }

    static func exec(_ exec: ExecRecord) -> JSONValue {
        [
            "ID": .string(exec.id), "Running": .bool(exec.running), "ExitCode": exec.exitCode.map { .from($0) } ?? nil,
            "ProcessConfig": [
                "tty": .bool(exec.config.Tty ?? false), "entrypoint": .string(exec.config.Cmd?.first ?? ""),
                "arguments": .from(Array((exec.config.Cmd ?? []).dropFirst())), "privileged": .bool(exec.config.Privileged ?? false),
                "user": .string(exec.config.User ?? ""),
            ],
            "OpenStdin": .bool(exec.config.AttachStdin ?? false), "OpenStderr": .bool(exec.config.AttachStderr ?? false),
            "OpenStdout": .bool(exec.config.AttachStdout ?? false), "CanRemove": false, "ContainerID": .string(exec.containerID),
            "DetachKeys": .string(exec.config.DetachKeys ?? ""), "Pid": .from(exec.pid),
        ]
    }
}

/// Go's `units.HumanDuration`, which `docker ps` statuses are written in.
enum HumanDuration {
    static func describe(_ nanos: Int64) -> String {
        let seconds = nanos / 1_000_000_000
        switch seconds {
        case ..<1: return "Less than a second"
        case 1: return "1 second"
        case ..<60: return "\(seconds) seconds"
        case ..<120: return "About a minute"
        case ..<3600: return "\(seconds / 60) minutes"
        case ..<7200: return "About an hour"
        case ..<(48 * 3600): return "\(seconds / 3600) hours"
        case ..<(7 * 24 * 3600 * 2): return "\(seconds / 86400) days"
        case ..<(30 * 24 * 3600 * 2): return "\(seconds / (7 * 86400)) weeks"
        case ..<(365 * 24 * 3600 * 2): return "\(seconds / (30 * 86400)) months"
        default: return "\(seconds / (365 * 86400)) years"
        }
    }
}
