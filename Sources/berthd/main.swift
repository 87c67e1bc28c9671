import ArgumentParser
import Daemon
import NIOCore
import NIOPosix

// Parse and run explicitly: `DaemonCommand.main()` would pick ParsableCommand's synchronous entry point here.
do {
    var command = try DaemonCommand.parseAsRoot()
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
