import Foundation
import Messages
import NIOPosix

/// Runs a host program on the thread pool (never on an actor's executor) and collects its output.
/// Meant for programs that print little on stderr (it is read after stdout ends).
struct HostCommand: Sendable {
    var executable: String
    var arguments: [String] = []
    var environment: [String: String]? = nil
    var input = Data()

    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    func run() async throws -> Output {
        try await NIOThreadPool.singleton.runIfActive { try runBlocking() }
    }

    private func runBlocking() throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            throw EngineError.internal("cannot run \(executable): \(error)")
        }
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errorOutput = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: output, stderr: errorOutput)
    }
}
