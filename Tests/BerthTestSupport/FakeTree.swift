import Logging
import Messages
import Supervision

/// A supervision tree on a `VirtualClock` for testing one of berthd's children without root or
/// containerd: the real children a test gives, and a fake (`FakeContainerd`, …) for every other child
/// that answers messages, in berthd's start order. Each child's declared siblings are checked as in
/// berthd, so a real child whose contract names a sibling the tree lacks does not start.
///
/// Restarts draw no jitter: a fake that crashes is back after exactly its backoff delay (100 ms for the
/// first restart), which the test passes with `clock.advance(by:)`.
public struct FakeTree: Sendable {
    public let clock: VirtualClock
    public let supervisor: Supervisor
    /// The calls of every fake, in order.
    public let log = FakeCallLog()
    /// What the supervisor reported, in order.
    public let events: FakeTreeEvents
    public let containerd: FakeContainerd
    public let plugins: FakePlugins
    public let volumes: FakeVolumes
    public let containers: FakeContainers
    public let graphdriver: FakeGraphDriver
    public let images: FakeImages
    public let network: FakeNetwork

    /// - Parameter real: the specs of the children under test, by their `ChildName`s.
    public init(real: [ChildSpec]) {
        let clock = VirtualClock()
        self.clock = clock
        containerd = FakeContainerd(script: FakeScript(child: "containerd", clock: clock, log: log))
        plugins = FakePlugins(script: FakeScript(child: "plugins", clock: clock, log: log))
        volumes = FakeVolumes(script: FakeScript(child: "volumes", clock: clock, log: log))
        containers = FakeContainers(script: FakeScript(child: "containers", clock: clock, log: log))
        graphdriver = FakeGraphDriver(script: FakeScript(child: "graphdriver", clock: clock, log: log))
        images = FakeImages(script: FakeScript(child: "images", clock: clock, log: log))
        network = FakeNetwork(script: FakeScript(child: "network", clock: clock, log: log))
        let fakes: [ChildName: any FakeChild] = [
            .containerd: containerd, .plugins: plugins, .volumes: volumes, .containers: containers, .graphdriver: graphdriver,
            .images: images, .network: network,
        ]
        let children = ChildName.allCases.compactMap { name in
            real.first { $0.name == name.rawValue } ?? fakes[name].map { fake in ChildSpec(name: name.rawValue) { _ in fake } }
        }
        supervisor = Supervisor(
            name: "test", children: children, clock: clock, random: { 0 }, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        events = FakeTreeEvents(following: supervisor)
    }

    /// Moves the clock on by `delay` once a task sleeps exactly that long (a restart waiting out its
    /// backoff, a scripted `.after`), so that it wakes. Gives up after 30 s of real time.
    public func advance(pastSleepOf delay: Duration) async {
        let giveUp = ContinuousClock.now + .seconds(30)
        while !clock.pendingDelays.contains(delay), ContinuousClock.now < giveUp { await Task.yield() }
        clock.advance(by: delay)
    }

    /// A reference to a child of the tree, as a sibling holds it.
    public func ref<Service>(to child: ChildName, as type: Service.Type = Service.self) -> ChildRef<Service> {
        supervisor.ref(to: child, as: type)
    }
}
