import ArgumentParser
import CMallocArenas
import Daemon
import NIOCore
import NIOPosix

// glibc gives every thread that allocates an arena of its own (up to eight a core), and berthd runs
// two dozen threads (event loops, the blocking pool, SQLite's): memory freed in one arena is not
// reused by another, so a large upload or build grew the daemon by megabytes it kept. Two arenas serve
// two cores (100 MiB build context: peak RSS 45 -> 42 MiB, a second build no longer adds 3 MiB).
_ = berth_limit_malloc_arenas(2)

// Parse and run explicitly: `DaemonCommand.main()` would pick ParsableCommand's synchronous entry point here.
do {
    var command = try DaemonCommand.parseAsRoot(DaemonCommand.dockerStyle(Array(CommandLine.arguments.dropFirst())))
    if let daemon = command as? DaemonCommand {
        // NIO's blocking pool runs host programs (CNI plugins, mount, cp), which mostly wait: one thread a
        // core would queue the network setup of concurrent starts behind each other.
        NIOSingletons.blockingPoolThreadCountSuggestion = 16
        EventLoopExecutor.install()
        try await daemon.start()
    } else {
        try command.run()
    }
} catch {
    DaemonCommand.exit(withError: error)
}
