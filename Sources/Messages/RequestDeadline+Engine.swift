import Supervision

/// berthd's named deadlines: how long a request between its children may take, by what it does. A
/// nested request inherits what is left of its caller's deadline (see ``RequestDeadline``);
/// `supervision.md` lists them. A request without one gets its child's `requestTimeout` (30 s).
extension RequestDeadline {
    /// A boot step of `restore`: releasing what stopped containers held, starting the ones that must run.
    public static let boot = RequestDeadline("boot", .seconds(120))
    /// Stopping every container on SIGTERM (each within its own stop timeout; `shutdown-timeout` bounds
    /// the whole stop).
    public static let shutdown = RequestDeadline("shutdown", .seconds(3600))

    /// Preparing what a container needs to run: claiming and mounting volumes, attaching or connecting
    /// networks, creating and starting its task or an exec process.
    public static let containerSetup = RequestDeadline("container-setup", .seconds(120))
    /// Releasing what a container used: unmounting volumes, detaching networks.
    public static let containerTeardown = RequestDeadline("container-teardown", .seconds(120))
    /// Clearing what a cut operation left behind (a killed task's exit, a stale lease or image record):
    /// short, since the clean-up is tried again later.
    public static let leftoverCleanup = RequestDeadline("leftover-cleanup", .seconds(10))
    /// A container's start or removal, or an exec's start, as the API asks it.
    public static let containerLifecycle = RequestDeadline("container-lifecycle", .seconds(300))

    /// A container's stop: its grace period `t` (its own stop timeout when nil, an hour; a negative `t`
    /// waits for ever, as in dockerd), then a minute for the kill.
    public static func containerStop(_ t: Int?) -> RequestDeadline {
        guard let t else { return RequestDeadline("container-stop", .seconds(3600)) }
        return RequestDeadline("container-stop", (t < 0 ? .longestWait : .wait(seconds: t)) + .seconds(60))
    }

    /// A container's restart: its stop, then five minutes for the start.
    public static func containerRestart(_ t: Int?) -> RequestDeadline {
        RequestDeadline("container-restart", containerStop(t).budget + .seconds(300))
    }

    /// Waiting for a process to exit. It belongs to the child watching the process, not to the request
    /// that started it, so it outlives its caller.
    public static let processExit = RequestDeadline("process-exit", .longestWait, outlivesCaller: true)

    /// One health probe: its exec's `timeout` and five seconds to collect it.
    public static func healthProbe(_ timeout: Duration) -> RequestDeadline {
        RequestDeadline("health-probe", timeout + .seconds(5))
    }

    /// Work on one layer or blob: preparing or removing a container's layer (a create), copying a blob in
    /// or out of containerd's content store, unpacking a layer, listing a container's changes.
    public static let storage = RequestDeadline("storage", .seconds(600))
    /// Moving an image or an archive between berthd's parts: a load, save, import or commit, a copy into
    /// or out of a container, unpacking an image's layers.
    public static let transfer = RequestDeadline("transfer", .seconds(1800))
    /// A pull or push from or to a registry, or the export of a container's whole filesystem.
    public static let bulkTransfer = RequestDeadline("bulk-transfer", .seconds(3600))
    /// A question to a registry: a login, a manifest's distribution information.
    public static let registryQuery = RequestDeadline("registry-query", .seconds(60))

    /// One build step's container work: a layer written, a copy made.
    public static let buildStep = RequestDeadline("build-step", .seconds(3600))
    /// A whole build.
    public static let build = RequestDeadline("build", .seconds(6 * 3600))

    /// Creating or removing a network.
    public static let networkChange = RequestDeadline("network-change", .seconds(60))
    /// Creating or removing a volume (its driver may be a plugin).
    public static let volumeChange = RequestDeadline("volume-change", .seconds(120))
    /// One call to a plugin.
    public static let pluginCall = RequestDeadline("plugin-call", .seconds(90))
    /// A prune of containers, images, networks, volumes or the build cache.
    public static let prune = RequestDeadline("prune", .seconds(600))
}
