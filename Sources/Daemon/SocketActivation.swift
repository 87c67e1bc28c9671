import Foundation

/// The listening sockets systemd passes to a socket-activated service (`LISTEN_PID`, `LISTEN_FDS`).
enum SocketActivation {
    static func inheritedDescriptors(environment: [String: String] = ProcessInfo.processInfo.environment) -> [Int32] {
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap(Int32.init), count > 0
        else { return [] }
        return (0..<count).map { 3 + $0 }
    }
}
