import Events
import Logging
import Messages

/// SIGHUP: re-reads `daemon.json` and applies it as a transaction. The whole file is validated first; a
/// bad file changes nothing. Keys that can change live are applied together; keys that need a restart
/// are reported and keep their running values. A `daemon` `reload` event records what was applied.
struct ConfigReload: Sendable {
    let loader: ConfigLoader
    let store: ConfigStore
    let events: EventLog
    let notifier: SystemdNotifier
    let daemonID: String
    let logger: Logger

    func run() async {
        notifier.reloading()
        defer { notifier.ready(status: "configuration reloaded") }
        let proposed: DaemonConfig
        do {
            proposed = try loader.load()
        } catch {
            logger.error("failed to reload the configuration; keeping the running one", metadata: ["error": "\(error)"])
            return
        }
        let running = store.current
        let changed = ConfigKey.changed(from: running, to: proposed)
        var applied = running
        for key in changed where key.reloadable { key.apply(&applied, key.read(proposed)) }
        let needRestart = changed.filter { !$0.reloadable }.map(\.name)
        store.replace(with: applied)
        LogSetup.apply(applied)
        if !needRestart.isEmpty {
            logger.warning("configuration keys need a restart to take effect", metadata: ["keys": "\(needRestart)"])
        }
        logger.info("reloaded the configuration", metadata: ["changed": "\(changed.filter(\.reloadable).map(\.name))"])
        var attributes = Dictionary(uniqueKeysWithValues: ConfigKey.all.filter(\.reloadable).map { ($0.name, $0.read(applied).description) })
        attributes["restart-required"] = needRestart.joined(separator: ",")
        await events.publish(EngineEvent(type: "daemon", action: "reload", actor: .init(id: daemonID, attributes: attributes), timeNano: UnixTime.nowNano))
    }
}
