import Foundation
import Messages

/// The files berthd bind-mounts into a container: `/etc/hostname`, `/etc/hosts`, `/etc/resolv.conf`.
/// With the host's network they are the host's own; otherwise they describe the container (the Network
/// issue adds its addresses and DNS settings).
enum ContainerFiles {
    static func write(for record: ContainerRecord) throws {
        let hostname = record.config.Hostname ?? String(record.id.prefix(12))
        let hostNetwork = record.hostConfig.NetworkMode == "host"
        let hostsFile: String
        if hostNetwork {
            hostsFile = (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? ""
        } else {
            var lines = [
                "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::0\tip6-localnet", "ff00::0\tip6-mcastprefix",
                "ff02::1\tip6-allnodes", "ff02::2\tip6-allrouters",
            ]
            lines += (record.hostConfig.ExtraHosts ?? []).compactMap(extraHost)
            hostsFile = lines.joined(separator: "\n") + "\n"
        }
        try Data(hostsFile.utf8).write(to: URL(fileURLWithPath: record.hostsPath))
        try Data((hostNetwork ? ProcessInfo.processInfo.hostName : hostname).utf8 + [0x0a]).write(to: URL(fileURLWithPath: record.hostnamePath))
        try Data(resolvConf(record.hostConfig).utf8).write(to: URL(fileURLWithPath: record.resolvConfPath))
    }

    /// `name:ip` (or `name=ip`) as a hosts line.
    private static func extraHost(_ entry: String) -> String? {
        guard let separator = entry.firstIndex(where: { $0 == ":" || $0 == "=" }) else { return nil }
        return "\(entry[entry.index(after: separator)...])\t\(entry[..<separator])"
    }

    /// The host's resolv.conf with `--dns`, `--dns-search` and `--dns-option` applied.
    private static func resolvConf(_ host: HostConfig) -> String {
        let hostFile = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        var lines = hostFile.split(separator: "\n").map(String.init)
        if let servers = host.Dns, !servers.isEmpty {
            lines.removeAll { $0.hasPrefix("nameserver") }
            lines += servers.map { "nameserver \($0)" }
        }
        if let search = host.DnsSearch, !search.isEmpty {
            lines.removeAll { $0.hasPrefix("search") || $0.hasPrefix("domain") }
            lines.append("search " + search.joined(separator: " "))
        }
        if let options = host.DnsOptions, !options.isEmpty {
            lines.removeAll { $0.hasPrefix("options") }
            lines.append("options " + options.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
