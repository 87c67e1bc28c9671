import EngineAPI
import Foundation
import Logging
import Messages

/// What the API's listeners need beyond their addresses, made from the configuration before the tree
/// starts so a bad certificate or group fails the boot with a clear message: the TLS of tcp listeners,
/// the unix sockets' group and the per-client limits.
///
/// dockerd's rules, kept here:
/// - `--tlsverify` (given at all) turns TLS on; the certificate, key and CA default to `cert.pem`,
///   `key.pem` and `ca.pem` in `$DOCKER_CERT_PATH`, else `$DOCKER_CONFIG`, else `~/.docker`.
/// - `-G` names the unix sockets' group (mode 0660, owner root); by default `docker`, and a missing
///   `docker` group is only a warning, while a missing group that was asked for is an error. `-G ""`
///   leaves the group alone.
/// - A tcp listener that does not verify client certificates is refused when it is reachable from other
///   hosts (not loopback, not `localhost`), unless `tls` or `tlsverify` was given explicitly (`--tls=false`
///   is the opt-out; newer dockerd refuses the same, 20.10 waits 15 s and warns). It is logged as a
///   warning in every case, as dockerd does.
struct ListenerSetup: Sendable {
    let tls: ServerTLS?
    let socketGroup: UInt32?
    let limits: ConnectionLimits

    init(config: DaemonConfig, listen: [ListenAddress], environment: [String: String], logger: Logger) throws {
        for address in listen {
            try Self.checkAuthentication(address, config: config)
            if address.isTCP && !config.verifiesClients {
                logger.warning(
                    "listening on tcp without --tlsverify: anyone who can connect gets root access to this host",
                    metadata: ["host": "\(address)"])
            }
        }
        if config.usesTLS {
            let directory = Self.certificateDirectory(environment)
            tls = try ServerTLS(
                certificate: config.tlsCert.isEmpty ? directory + "/cert.pem" : config.tlsCert,
                key: config.tlsKey.isEmpty ? directory + "/key.pem" : config.tlsKey,
                caCertificate: config.tlsCACert.isEmpty ? directory + "/ca.pem" : config.tlsCACert,
                verifyClients: config.verifiesClients)
        } else {
            tls = nil
        }
        socketGroup = try Self.group(config.group, logger: logger)
        limits = ConnectionLimits(
            readHeaderTimeout: .seconds(config.apiReadHeaderTimeout), idleTimeout: .seconds(config.apiIdleTimeout),
            maxConnections: config.apiMaxConnections)
    }

    /// Refuses a listener other hosts can reach with no client authentication and no explicit choice.
    static func checkAuthentication(_ address: ListenAddress, config: DaemonConfig) throws(ConfigError) {
        guard address.isTCP, !config.verifiesClients, !config.choseTLSExplicitly, !address.isLocalOnly else { return }
        throw .unauthenticatedListener(address.description)
    }

    /// dockerd's default directory of the TLS files.
    static func certificateDirectory(_ environment: [String: String]) -> String {
        if let path = environment["DOCKER_CERT_PATH"], !path.isEmpty { return path }
        if let path = environment["DOCKER_CONFIG"], !path.isEmpty { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.docker"
    }

    /// The group id for `name` (a name or a number); nil for `""`, or for the default `docker` group when
    /// this host has none.
    static func group(_ name: String?, logger: Logger) throws(ConfigError) -> UInt32? {
        let wanted = name ?? "docker"
        guard !wanted.isEmpty else { return nil }
        if let entry = getgrnam(wanted) { return entry.pointee.gr_gid }
        if let number = UInt32(wanted) { return number }
        guard name == nil else { throw .invalid(key: "group", reason: "group \(wanted) not found") }
        logger.warning("could not change group of the unix sockets to docker: group docker not found")
        return nil
    }
}
