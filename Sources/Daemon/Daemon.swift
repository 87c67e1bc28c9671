import EngineAPI
import Events
import Foundation
import Logging
import Messages
import Supervision
import UnixSignals

/// One run of berthd: takes the locks, starts the tree, tells systemd, then serves until a signal or a
/// failure of the tree ends it. Returns the process exit status.
///
/// - SIGTERM/SIGINT: graceful shutdown: running containers stop within their stop timeouts, then the
///   tree within `shutdown-timeout`, containerd last; a second signal hurries (exit after two more
///   seconds at most), a third exits at once. With `live-restore` the containers and containerd keep
///   running: berthd records what it left (`LiveRestoreRecord`) and the next one adopts it.
/// - SIGHUP: reload `daemon.json` as a transaction (`ConfigReload`).
struct Daemon {
    let config: DaemonConfig
    let loader: ConfigLoader

    /// Exit statuses.
    enum Status {
        static let clean: Int32 = 0
        static let bootFailed: Int32 = 1
        static let treeFailed: Int32 = 2
        static let stuck: Int32 = 3
    }

    func run() async -> Int32 {
        LogSetup.bootstrap(config)
        let logger = Logger(label: "berthd")
        let pidfile: Pidfile
        let listen: [ListenAddress]
        let listenerSetup: ListenerSetup
        let events: EventLog
        let sockets: ListeningSockets
        do {
            try FileManager.default.createDirectory(atPath: config.dataRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
            try FileManager.default.createDirectory(atPath: config.execRoot, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            pidfile = try Pidfile(path: config.effectivePidfile, dataRoot: config.dataRoot)
            // Files staged for requests in flight when an earlier berthd died: nothing uses them now.
            try? FileManager.default.removeItem(atPath: config.dataRoot + "/tmp")
            listen = try config.effectiveHosts.flatMap { try ListenAddress.parse($0, inherited: SocketActivation.inheritedDescriptors()) }
            listenerSetup = try ListenerSetup(config: config, listen: listen, environment: ProcessInfo.processInfo.environment, logger: logger)
            events = try EventLog(dataRoot: config.dataRoot)
            // Bound once here, so that clients wait in the backlog while the api child restarts.
            sockets = try ListeningSockets.bind(listen, socketGroup: listenerSetup.socketGroup)
        } catch {
            logger.critical("failed to start", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("berthd: \(error)\n".utf8))
            return Status.bootFailed
        }
        defer { pidfile.release() }
        defer { sockets.close() }
        LiveRestoreRecord.take(execRoot: config.execRoot)?.report(to: logger)
        let configStore = ConfigStore(config)
        let metrics = APIMetrics()
        let facts = HostFacts.read(dataRoot: config.dataRoot)
        let tree = BerthTree(
            config: config, listen: sockets.descriptors, listenerSetup: listenerSetup, events: events, configStore: configStore, facts: facts, metrics: metrics, logger: logger)
        let supervisor = Supervisor(
            name: "berthd", children: tree.specs, observer: metrics, restartWait: .seconds(config.childRestartWait),
            logger: Logger(label: "berthd.supervision"))
        let notifier = SystemdNotifier()
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup)
        do {
            try await supervisor.start()
        } catch {
            logger.critical("failed to start the tree", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("berthd: \(error)\n".utf8))
            return Status.bootFailed
        }
        notifier.ready(status: "serving on \(listen.map(\.description).joined(separator: " "))")
        logger.info("berthd is ready", metadata: ["listeners": "\(listen.map(\.description))", "pid": "\(getpid())"])

        let reload = ConfigReload(loader: loader, store: configStore, events: events, notifier: notifier, daemonID: facts.id, logger: logger)
        let stopRequested = OneShot<Void>()
        let status = await withTaskGroup(of: Int32?.self) { group in
            group.addTask {
                await Self.handle(signals, stopRequested: stopRequested, reload: reload, logger: logger)
                return nil
            }
            if let interval = notifier.watchdogInterval {
                group.addTask {
                    await Self.watchdog(every: interval, supervisor: supervisor, notifier: notifier)
                    return nil
                }
            }
            group.addTask {
                await Self.serve(supervisor, until: stopRequested, notifier: notifier, configStore: configStore, execRoot: config.execRoot, logger: logger)
            }
            var status = Status.clean
            for await result in group {
                if let result {
                    status = result
                    break
                }
            }
            group.cancelAll()
            return status
        }
        await events.close()
        logger.info("berthd stopped", metadata: ["status": "\(status)"])
        return status
    }

    /// Waits for a stop request or the end of the tree, then stops everything; returns the exit status.
    private static func serve(
        _ supervisor: Supervisor, until stopRequested: OneShot<Void>, notifier: SystemdNotifier, configStore: ConfigStore, execRoot: String,
        logger: Logger
    ) async -> Int32 {
        let ended = OneShot<SupervisionError?>()
        let watchers = [
            Task { if await stopRequested.wait() != nil { ended.fulfill(nil) } },
            Task { ended.fulfill(await supervisor.terminated()); return },
        ]
        defer { watchers.forEach { $0.cancel() } }
        if let failure = await ended.wait() ?? nil {
            logger.critical("the supervision tree failed", metadata: ["error": "\(failure)"])
            FileHandle.standardError.write(Data("berthd: \(failure)\n".utf8))
            if case .stuck = failure { return Status.stuck }
            return Status.treeFailed
        }
        notifier.stopping()
        let timeout = configStore.current.shutdownTimeout
        let liveRestore = configStore.current.liveRestore
        logger.info("shutting down", metadata: ["timeout": "\(timeout)"])
        if liveRestore {
            await recordLiveRestore(supervisor, execRoot: execRoot, logger: logger)
        } else {
            // Containers stop first, each within its own stop timeout, while the children they need
            // (containerd, graphdriver) still run; `shutdown-timeout` then bounds the tree's stop.
            try? await Subsystems(supervisor).containers.ask(deadline: .shutdown) { await $0.stopAllForShutdown() }
        }
        let stopped = OneShot<Int32>()
        let stopper = Task {
            do {
                try await supervisor.shutdown()
                stopped.fulfill(Status.clean)
            } catch {
                logger.critical("shutdown incomplete", metadata: ["error": "\(error)"])
                stopped.fulfill(Status.stuck)
            }
        }
        let deadline = Task {
            guard timeout >= 0, (try? await Task.sleep(for: .wait(seconds: timeout))) != nil else { return }
            logger.critical("forcing shutdown: the tree did not stop within shutdown-timeout", metadata: ["timeout": "\(timeout)"])
            stopped.fulfill(Status.stuck)
        }
        defer {
            stopper.cancel()
            deadline.cancel()
        }
        return await stopped.wait() ?? Status.stuck
    }

    /// Logs and records what a stop with live-restore leaves running, for the next berthd.
    private static func recordLiveRestore(_ supervisor: Supervisor, execRoot: String, logger: Logger) async {
        let containers = (try? await Subsystems(supervisor).containers.ask { try await $0.runningIDs() }) ?? []
        let containerd = await supervisor.snapshot().children.first { $0.name == ChildName.containerd.rawValue }?.info["pid"].flatMap { Int32($0) }
        let record = LiveRestoreRecord(
            stoppedAt: UnixTime.rfc3339(nano: UnixTime.nowNano), berthdPid: getpid(), containerdPid: containerd, containers: containers.sorted())
        logger.info(
            "live-restore: leaving containerd and the containers running",
            metadata: ["containerdPid": "\(containerd.map(String.init) ?? "none")", "containers": "\(containers.count)"])
        do {
            try record.write(execRoot: execRoot)
        } catch {
            logger.warning("cannot record the live-restore", metadata: ["error": "\(error)"])
        }
    }

    /// SIGHUP reloads; the first SIGTERM/SIGINT stops gracefully, the second hurries, the third exits.
    private static func handle(_ signals: UnixSignalsSequence, stopRequested: OneShot<Void>, reload: ConfigReload, logger: Logger) async {
        var stops = 0
        for await signal in signals {
            if signal == .sighup {
                await reload.run()
                continue
            }
            stops += 1
            logger.info("received signal", metadata: ["signal": "\(signal)", "count": "\(stops)"])
            switch stops {
            case 1:
                stopRequested.fulfill(())
            case 2:
                logger.warning("hurrying shutdown: exiting in 2 s at most")
                Task {
                    try await Task.sleep(for: .seconds(2))
                    exit(Status.stuck)
                }
            default:
                logger.critical("exiting at once")
                exit(128 + signal.rawValue)
            }
        }
    }

    /// Pings systemd's watchdog while every child is healthy.
    private static func watchdog(every interval: Duration, supervisor: Supervisor, notifier: SystemdNotifier) async {
        while (try? await Task.sleep(for: interval)) != nil {
            let tree = await supervisor.snapshot()
            if tree.state == .running && !tree.children.contains(where: { $0.state == .stuck || $0.state == .failed }) {
                notifier.watchdog()
            }
        }
    }
}
