import Digests
import Dockerfile
import Foundation
import Messages

/// One run of the legacy builder: the Dockerfile's stages up to the target, step by step, each step's
/// image stored (and recorded in the build cache) before the next one starts.
///
/// Metadata steps (ENV, LABEL, …) only write a new configuration; `RUN` runs in a container that the
/// containers child creates, starts and removes; `COPY`/`ADD` copy into a container that is never
/// started. The containers child is only asked through typed messages.
struct ImageBuilder {
    let images: ImagesChild
    let subsystems: ImagesSiblings
    let catalog: ImageCatalog
    let request: BuildRequest
    let context: BuildContext
    let dockerfile: Dockerfile
    let output: BuildOutput
    /// A scratch directory for this build's archives.
    let work: String
    /// The stages to build: up to the target, the request's labels added to the last.
    let stages: [Stage]
    let totalSteps: Int
    /// The images `cachefrom` allows steps to be reused from (with their ancestors); empty: any.
    let cacheSources: Set<String>
    /// The `cachefrom` images themselves, whose history may stand for steps not built here.
    let cacheFromImages: [StoredImage]

    var step = 0
    /// The image each stage built, by index.
    var stageImages: [StoredImage?] = []
    /// The build args some `ARG` declared (what is left over is warned about).
    var consumedArgs = Set<String>()
    /// Whether steps end with their ` ---> <id>` line (not inside ONBUILD triggers).
    var printsResults = true

    /// The proxy variables Docker lets a build use without an `ARG`.
    static let predefinedArgs: Set = [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ]

    init(images: ImagesChild, subsystems: ImagesSiblings, catalog: ImageCatalog, request: BuildRequest, context: BuildContext, output: BuildOutput, work: String) async throws {
        self.images = images
        self.subsystems = subsystems
        self.catalog = catalog
        self.request = request
        self.context = context
        self.output = output
        self.work = work
        do {
            dockerfile = try Dockerfile.parse(context.dockerfileText)
        } catch {
            throw EngineError.invalidArgument(error.message)
        }
        guard !dockerfile.stages.isEmpty else { throw EngineError.invalidArgument("no build stage in current context") }
        var stages = dockerfile.stages
        if !request.target.isEmpty {
            let target = request.target.lowercased()
            guard let index = stages.firstIndex(where: { $0.name == target }) ?? Int(target).flatMap({ stages.indices.contains($0) ? $0 : nil }) else {
                throw EngineError.invalidArgument("failed to reach build target \(request.target) in Dockerfile")
            }
            stages = Array(stages[...index])
        }
        if !request.labels.isEmpty, var last = stages.popLast() {
            // One LABEL step per label, as dockerd adds them.
            for (key, value) in request.labels.sorted(by: { $0.key < $1.key }) {
                last.commands.append(Instruction(line: 0, original: "LABEL \(key)=\(value)", command: .label([KeyValue(key: key, value: value)])))
            }
            stages.append(last)
        }
        self.stages = stages
        totalSteps = dockerfile.metaArgInstructions.count + stages.reduce(0) { $0 + 1 + $1.commands.count }
        var sources = Set<String>()
        var images: [StoredImage] = []
        for name in request.cacheFrom {
            guard var image = try? await catalog.resolve(name) else { continue }
            images.append(image)
            sources.insert(image.id)
            while !image.parentID.isEmpty, let parent = try? await catalog.resolve(image.parentID) {
                sources.insert(parent.id)
                image = parent
            }
        }
        cacheSources = sources
        cacheFromImages = images
    }

    /// Builds every stage; returns the final image.
    mutating func run() async throws -> StoredImage {
        if !dockerfile.warnings.isEmpty { output.print("\u{1b}[91m" + dockerfile.warnings.joined(separator: "\n") + "\n\u{1b}[0m") }
        for instruction in dockerfile.metaArgInstructions { announce(instruction) }
        consumedArgs.formUnion(dockerfile.metaArgs.map(\.name))
        var final: StoredImage?
        for (index, stage) in stages.enumerated() {
            var state = try await begin(stage, index: index)
            for instruction in stage.commands {
                try await execute(instruction, in: &state, announce: true)
            }
            stageImages.append(state.image)
            if let image = state.image { output.stageBuilt(imageID: image.id) }
            if index == stages.count - 1 { final = state.image }
        }
        guard let final else { throw EngineError.invalidArgument("the build produced no image: a stage made of FROM scratch alone has nothing to commit") }
        return final
    }

    /// dockerd's warning about build args no `ARG` declared, if any.
    var unusedArgsWarning: String? {
        let unused = request.buildArgs.keys.filter { !consumedArgs.contains($0) && !Self.predefinedArgs.contains($0) }.sorted()
        return unused.isEmpty ? nil : "[Warning] One or more build-args [\(unused.joined(separator: " "))] were not consumed\n"
    }

    /// Prints `Step n/N : …`.
    mutating func announce(_ instruction: Instruction) {
        step += 1
        output.print("Step \(step)/\(totalSteps) : \(instruction.original)")
        output.print("\n")
    }

    /// The value of a build arg as the request gives it, or the declaration's default.
    func argValue(_ declaration: ArgDeclaration) -> String? {
        if let given = request.buildArgs[declaration.name] { return given ?? declaration.defaultValue }
        return declaration.defaultValue
    }

    /// The meta args' values (ARGs before the first FROM), for FROM lines.
    var metaArgs: [String: String] {
        var values: [String: String] = [:]
        for declaration in dockerfile.metaArgs { values[declaration.name] = argValue(declaration) }
        return values
    }
}

/// Where a stage is: its latest image and configuration, and the args declared in it.
struct StageState {
    var image: StoredImage?
    var document: ImageDocument
    /// The ARGs declared in this stage so far, with their values (nil: declared without one).
    var args: [(name: String, value: String?)] = []

    /// A variable for expansion: the environment wins over build args.
    func lookup(_ name: String, predefined: [String: String]) -> String? {
        if let value = document.environment(name) { return value }
        if let declared = args.last(where: { $0.name == name }) { return declared.value }
        return predefined[name]
    }

    /// The declared args with values that the environment does not override, sorted: what a RUN step
    /// sees besides the environment and records in its history (`|2 A=1 B=2 /bin/sh -c …`).
    var argPairs: [(name: String, value: String)] {
        var latest: [String: String] = [:]
        for arg in args { if let value = arg.value { latest[arg.name] = value } else { latest.removeValue(forKey: arg.name) } }
        return latest.filter { document.environment($0.key) == nil }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
