import Foundation
import Messages

/// The files berthd bind-mounts into a container: `/etc/hostname`, `/etc/hosts`, `/etc/resolv.conf`.
/// With the host's network they are the host's own; otherwise they describe the container: its
/// address on its first network, `--add-host` entries, and the embedded DNS server (user networks) or
/// the host's resolvers.
enum ContainerFiles {
    /// Resolvers for containers when the host has only local ones, which a container cannot reach.
    static let fallbackNameservers = ["8.8.8.8", "8.8.4.4"]

    /// `nameserver`: the embedded DNS server's address; `hostGateway`: what `host-gateway` in
    /// `--add-host` stands for.
    static func write(for record: ContainerRecord, nameserver: String?, hostGateway: String?) throws {
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
            lines += (record.hostConfig.ExtraHosts ?? []).compactMap { extraHost($0, hostGateway: hostGateway) }
            let mode = record.hostConfig.NetworkMode ?? ""
            if let address = record.networking.networks[mode]?.IPAddress, !address.isEmpty {
                let domain = record.config.Domainname.map { $0.isEmpty ? "" : "\t\(hostname).\($0)" } ?? ""
                lines.append("\(address)\t\(hostname)\(domain)")
            }
            hostsFile = lines.joined(separator: "\n") + "\n"
        }
        try UnsyncedFile.write(hostsFile, to: record.hostsPath)
        try UnsyncedFile.write((hostNetwork ? DaemonFacts.nodeName() : hostname) + "\n", to: record.hostnamePath)
        let hostResolvConf = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        let resolvConf = hostNetwork ? hostResolvConf : resolvConf(hostResolvConf, record.hostConfig, embeddedServer: nameserver)
        try UnsyncedFile.write(resolvConf, to: record.resolvConfPath)
    }

    /// `name:ip` (or `name=ip`) as a hosts line.
    private static func extraHost(_ entry: String, hostGateway: String?) -> String? {
        guard let separator = entry.firstIndex(where: { $0 == ":" || $0 == "=" }) else { return nil }
        let address = entry[entry.index(after: separator)...]
        return "\(address == "host-gateway" ? hostGateway ?? String(address) : String(address))\t\(entry[..<separator])"
    }

    /// The host's resolv.conf with `--dns`, `--dns-search` and `--dns-option` applied. With the
    /// embedded DNS server it is the only nameserver (it forwards to `--dns` or the host's), with
    /// `ndots:0` so that short names are asked as they are; otherwise the host's local resolvers,
    /// which a container cannot reach, are left out.
    static func resolvConf(_ hostFile: String, _ host: HostConfig, embeddedServer: String?) -> String {
        var lines = hostFile.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("nameserver") }
        let servers: [String]
        if let embeddedServer {
            servers = [embeddedServer]
        } else if let requested = host.Dns, !requested.isEmpty {
            servers = requested
        } else {
            let reachable = ResolvConf.nameservers(in: hostFile).filter { !$0.hasPrefix("127.") && $0 != "::1" }
            servers = reachable.isEmpty ? fallbackNameservers : reachable
        }
        lines += servers.map { "nameserver \($0)" }
        if let search = host.DnsSearch, !search.isEmpty {
            lines.removeAll { $0.hasPrefix("search") || $0.hasPrefix("domain") }
            lines.append("search " + search.joined(separator: " "))
        }
        var options = host.DnsOptions ?? []
        if embeddedServer != nil && !options.contains(where: { $0.hasPrefix("ndots:") }) {
            options = ResolvConf.options(in: hostFile).filter { !$0.hasPrefix("ndots:") } + options + ["ndots:0"]
        }
        if !options.isEmpty {
            lines.removeAll { $0.hasPrefix("options") }
            lines.append("options " + options.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
