import Containerd
import Containers
import EngineAPI
import Events
import GraphDriver
import Images
import Logging
import Messages
import Networks
import Plugins
import Registry
import Restore
import Supervision
import Volumes

/// berthd's supervision tree: one spec per child, in the order of `ChildName.allCases`. A child that asks
/// its siblings is handed their references through its sibling set (`ContainersSiblings`, …), which
/// also declares them in its spec. supervision.md documents these values; a test checks that both agree.
struct BerthTree: Sendable {
    let config: DaemonConfig
    /// The API's listening sockets (`.fd` addresses of the daemon's ``ListeningSockets``): every api
    /// incarnation accepts on the same sockets.
    let listen: [ListenAddress]
    let listenerSetup: ListenerSetup
    let events: EventLog
    let configStore: ConfigStore
    let facts: DaemonFacts
    let metrics: APIMetrics
    let logger: Logger

    var specs: [ChildSpec] { ChildName.allCases.map(spec) }

    func spec(for name: ChildName) -> ChildSpec {
        let config = self.config
        switch name {
        case .containerd:
            let configStore = self.configStore
            return ChildSpec(name: name.rawValue, restart: .permanent, shutdownBudget: .seconds(10), startTimeout: .seconds(20)) { _ in
                ContainerdChild(
                    dataRoot: config.dataRoot, execRoot: config.execRoot, address: config.containerd, liveRestore: { configStore.current.liveRestore })
            }
        case .plugins:
            let configStore = self.configStore
            return ChildSpec(name: name.rawValue) { _ in try PluginsChild(config: config, configStore: configStore) }
        case .volumes:
            let events = self.events
            return ChildSpec(name, siblings: VolumesSiblings.self) { _, subsystems in
                try VolumesChild(config: config, subsystems: subsystems, events: events)
            }
        case .containers:
            let events = self.events
            return ChildSpec(name, siblings: ContainersSiblings.self, shutdownBudget: .seconds(30)) { _, subsystems in
                try ContainersChild(config: config, subsystems: subsystems, events: events)
            }
        case .graphdriver:
            return ChildSpec(name, siblings: GraphDriverSiblings.self) { _, subsystems in
                try GraphDriverChild(dataRoot: config.dataRoot, requested: config.storageDriver, subsystems: subsystems)
            }
        case .images:
            let events = self.events
            return ChildSpec(name, siblings: ImagesSiblings.self) { context, subsystems in
                try ImagesChild(
                    dataRoot: config.dataRoot, subsystems: subsystems, events: events,
                    registry: RegistryClient(insecureRegistries: config.insecureRegistries, logger: context.logger),
                    maxConcurrentDownloads: config.maxConcurrentDownloads, maxConcurrentUploads: config.maxConcurrentUploads)
            }
        case .network:
            let events = self.events
            return ChildSpec(name: name.rawValue, shutdownBudget: .seconds(15)) { _ in
                try NetworkChild(config: config, events: events)
            }
        case .restore:
            return ChildSpec(name, siblings: RestoreSiblings.self, restart: .transient, startTimeout: .seconds(120)) { _, subsystems in
                RestoreChild(subsystems: subsystems)
            }
        case .api:
            let (events, configStore, facts, metrics, logger) = (self.events, self.configStore, self.facts, self.metrics, self.logger)
            let setup = self.listenerSetup
            // The drain (5 s) and the forced close's grace (HTTPServer.forcedCloseGrace, 2 s) fit the budget.
            return ChildSpec(name, siblings: Subsystems.self, shutdownBudget: .seconds(10)) { [listen] _, subsystems in
                APIChild(
                    addresses: listen, drainTimeout: .seconds(5), limits: setup.limits, tls: setup.tls, socketGroup: setup.socketGroup
                ) { context, supervisor in
                    APIEnvironment(
                        subsystems: subsystems, events: events, config: configStore, facts: facts,
                        supervisor: supervisor, metrics: metrics, logger: logger)
                }
            }
        }
    }
}
