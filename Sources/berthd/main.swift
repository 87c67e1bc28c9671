import ArgumentParser
import Daemon

// Parse and run explicitly: `DaemonCommand.main()` would pick ParsableCommand's synchronous entry point here.
do {
    var command = try DaemonCommand.parseAsRoot()
    if let daemon = command as? DaemonCommand {
        try await daemon.start()
    } else {
        try command.run()
    }
} catch {
    DaemonCommand.exit(withError: error)
}
