import Messages
import Synchronization

/// Where a build writes dockerd's legacy builder lines (`Step 2/5 : RUN …`, ` ---> Running in …`).
/// Under `q` the lines are kept back, and given out only if the build fails, as dockerd does.
final class BuildOutput: Sendable {
    private let sink: ProgressSink
    private let quiet: Bool
    private let held = Mutex<[String]>([])

    init(sink: ProgressSink, quiet: Bool) {
        self.sink = sink
        self.quiet = quiet
    }

    /// A line (or part of one) of the build's own text.
    func print(_ text: String) {
        if quiet {
            held.withLock { $0.append(text) }
        } else {
            sink.yield(ProgressLine(stream: text))
        }
    }

    /// Where a pull of a `FROM` image reports: the build's own stream, or nowhere under `q`.
    var pullProgress: ProgressSink {
        quiet ? .discarding() : sink
    }

    /// What a step's process wrote: stderr in red, as dockerd colours it. Waits while the client is
    /// behind, so a step's output is never lost nor piled up.
    func processOutput(_ chunk: OutputChunk) async {
        let text = String(decoding: chunk.bytes, as: UTF8.self)
        let colored = chunk.stream == .stderr ? "\u{1b}[91m" + text + "\u{1b}[0m" : text
        if quiet {
            held.withLock { $0.append(colored) }
        } else {
            await sink.send(ProgressLine(stream: colored))
        }
    }

    /// A stage's image, as `aux` for clients that read it (dockerd sends one at the end of each stage).
    func stageBuilt(imageID: String) {
        if !quiet { sink.yield(ProgressLine(status: "", aux: ["ID": imageID])) }
    }

    /// The final image's ID: the one line `q` prints.
    func finished(imageID: String) {
        if quiet { sink.yield(ProgressLine(stream: imageID + "\n")) }
    }

    /// A failed quiet build shows what it kept back.
    func releaseHeld() {
        for text in held.withLock({ lines in defer { lines = [] }; return lines }) {
            sink.yield(ProgressLine(stream: text))
        }
    }
}
