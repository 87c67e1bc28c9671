import Digests
import Dockerfile
import Foundation
import Messages

extension ImageBuilder {
    /// `FROM`: the stage's base (an image, pulled when missing or under `pull`; an earlier stage;
    /// `scratch`), then the base's `ONBUILD` triggers.
    mutating func begin(_ stage: Stage, index: Int) async throws -> StageState {
        do { try dockerfile.checkStageName(at: index) } catch { throw EngineError.invalidArgument(error.message) }
        announce(stage.from)
        let meta = metaArgs
        guard case .from(let rawImage, _, let rawPlatform) = try stage.from.command.expanded(
            escapeToken: dockerfile.escapeToken, lookup: { meta[$0] }) else {
            throw EngineError.internal("a stage that does not start with FROM")
        }
        // dockerd 20.10 accepts any `FROM --platform` with the legacy builder; only the request's
        // `platform` is checked.
        _ = rawPlatform
        let name = rawImage
        var state: StageState
        if name.lowercased() == "scratch" {
            state = StageState(image: nil, document: .scratch)
        } else if let index = stageIndex(name) {
            guard let image = stageImages[index] else { throw EngineError.invalidArgument("stage \(name) built no image to start from") }
            state = StageState(image: image, document: try ImageDocument.parse(image.config))
        } else {
            let image = try await baseImage(name)
            state = StageState(image: image, document: try ImageDocument.parse(image.config))
        }
        if state.document.environment("PATH") == nil {
            // Docker gives every stage a PATH when its base has none.
            state.document.config.Env = (state.document.config.Env ?? []) + ["PATH=" + Self.defaultPath]
        }
        let triggers = state.document.config.OnBuild ?? []
        state.document.config.OnBuild = nil
        guard !triggers.isEmpty else {
            output.print(" ---> \(state.image.map { Self.short($0.id) } ?? "")\n")
            return state
        }
        output.print("# Executing \(triggers.count) build trigger\(triggers.count == 1 ? "" : "s")\n")
        printsResults = false
        defer { printsResults = true }
        for trigger in triggers {
            let parsed: Dockerfile
            do { parsed = try Dockerfile.parse("FROM scratch\n" + trigger) } catch { throw EngineError.invalidArgument(error.message) }
            for instruction in parsed.stages.first?.commands ?? [] { try await execute(instruction, in: &state, announce: false) }
        }
        output.print(" ---> \(state.image.map { Self.short($0.id) } ?? "")\n")
        return state
    }

    /// The PATH Docker sets for Linux images that have none.
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// An earlier stage named `name` (by `AS` name or index).
    func stageIndex(_ name: String) -> Int? {
        let lowered = name.lowercased()
        if let index = stages.prefix(stageImages.count).firstIndex(where: { $0.name == lowered }) { return index }
        if let index = Int(name), stageImages.indices.contains(index) { return index }
        return nil
    }

    /// A `FROM` image: the local one unless `pull` or missing, else pulled with the request's credentials.
    func baseImage(_ name: String) async throws -> StoredImage {
        if !request.pull, let image = try? await catalog.resolve(name) { return image }
        let reference = try ImageReference(parsing: name)
        let auth = request.registryAuths.first { key, _ in
            let host = key.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
                .split(separator: "/").first.map(String.init) ?? key
            return host == reference.domain || (reference.domain == "docker.io" && host == "index.docker.io")
        }?.value
        try await images.pull(name, auth: auth, progress: output.pullProgress)
        return try await catalog.resolve(name)
    }

    static func checkPlatform(_ platform: String) throws {
        let parts = platform.lowercased().split(separator: "/").map(String.init)
        let supported = parts == ["linux"] || parts == ["amd64"] || parts.starts(with: ["linux", "amd64"]) || parts == ["linux", "x86_64"]
        guard supported else {
            throw EngineError.invalidArgument("platform \(platform) is not supported: berthd builds and runs linux/amd64 images only")
        }
    }

    /// Runs one instruction of a stage.
    mutating func execute(_ instruction: Instruction, in state: inout StageState, announce shouldAnnounce: Bool) async throws {
        if shouldAnnounce { announce(instruction) }
        do { try instruction.checkLegacySupport() } catch { throw EngineError.invalidArgument(error.message) }
        let predefined = request.buildArgs.reduce(into: [String: String]()) { values, pair in
            if Self.predefinedArgs.contains(pair.key), let value = pair.value { values[pair.key] = value }
        }
        let current = state
        let command = try instruction.command.expanded(escapeToken: dockerfile.escapeToken) { current.lookup($0, predefined: predefined) }
        switch command {
        case .run(let line):
            try await runStep(line, in: &state)
        case .copy(let copy):
            try await copyStep(copy, instruction: "COPY", in: &state)
        case .add(let copy):
            try await copyStep(copy, instruction: "ADD", in: &state)
        case .workdir(let path):
            try await workdirStep(path, in: &state)
        case .healthcheck(let check):
            if let previous = state.document.config.Healthcheck?.Test, let first = previous.first, first != "NONE" {
                output.print("Note: overriding previous HEALTHCHECK: [\(previous.joined(separator: " "))]\n")
            }
            try await metadataStep(Self.historyText(command), in: &state) { document in try Self.apply(.healthcheck(check), to: &document) }
        case .arg(let declarations):
            for declaration in declarations {
                consumedArgs.insert(declaration.name)
                let inherited = dockerfile.metaArgs.last { $0.name == declaration.name }.flatMap(argValue)
                let value = request.buildArgs[declaration.name].flatMap { $0 } ?? declaration.defaultValue ?? inherited
                state.args.append((declaration.name, value))
            }
            let text = declarations.map { $0.name + ($0.defaultValue.map { "=" + $0 } ?? "") }.joined(separator: " ")
            try await metadataStep("ARG " + text, in: &state) { _ in }
        case .from:
            throw EngineError.internal("FROM inside a stage")
        default:
            try await metadataStep(Self.historyText(command, shell: state.document.config.Shell), in: &state) { document in
                try Self.apply(command, to: &document)
            }
        }
    }

    /// A step that only changes the configuration: a new image with an `empty_layer` history entry.
    mutating func metadataStep(_ text: String, in state: inout StageState, change: (inout ImageDocument) throws -> Void) async throws {
        var document = state.document
        try change(&document)
        let createdBy = Self.nop(document) + " " + text
        if try await reuse(createdBy: createdBy, document: document, in: &state) { return }
        // dockerd runs these in a container that is never started; nothing needs one here, so the
        // lines name the ID the step's image records as its container.
        let container = EngineID.random()
        output.print(" ---> Running in \(Self.short(container))\n")
        try await commit(document, createdBy: createdBy, layer: nil, container: container, in: &state)
        if request.remove || request.forceRemove { output.print("Removing intermediate container \(Self.short(container))\n") }
        printResult(state)
    }

    /// ` ---> <id>`, the line that ends a step (left out for the steps of ONBUILD triggers, which end
    /// together).
    func printResult(_ state: StageState) {
        if printsResults { output.print(" ---> \(Self.short(state.image?.id ?? ""))\n") }
    }

    /// The start of a step's history text: the stage's shell and `#(nop)`, as dockerd writes it.
    static func nop(_ document: ImageDocument) -> String {
        (document.config.Shell ?? ["/bin/sh", "-c"]).joined(separator: " ") + " #(nop) "
    }

    /// Takes the step's result from the build cache, when allowed and present.
    mutating func reuse(createdBy: String, document: ImageDocument, in state: inout StageState) async throws -> Bool {
        guard !request.noCache else { return false }
        if let image = try await catalog.cachedStep(parentID: state.image?.id ?? "", key: Self.cacheKey(createdBy, document)),
           cacheSources.isEmpty || cacheSources.contains(image.id) {
            state.image = image
            state.document = try ImageDocument.parse(image.config)
        } else if try await !restoreFromCacheSource(createdBy: createdBy, document: document, in: &state) {
            return false
        }
        output.print(" ---> Using cache\n")
        printResult(state)
        return true
    }

    /// `--cache-from` as dockerd reads it for images not built here (pulled or loaded): a source whose
    /// history and layers begin with the parent's, and whose next history entry is this step's, stands
    /// for the step: its image is the step's configuration over that entry (and its layer).
    mutating func restoreFromCacheSource(createdBy: String, document: ImageDocument, in state: inout StageState) async throws -> Bool {
        let parent = try state.image.map { try ImageDocument.parse($0.config) }
        let history = parent?.history ?? []
        let layers = parent?.rootfs.diff_ids ?? []
        for source in cacheFromImages {
            let target = try ImageDocument.parse(source.config)
            let targetHistory = target.history ?? []
            guard targetHistory.count > history.count, target.rootfs.diff_ids.starts(with: layers),
                  zip(history, targetHistory).allSatisfy(Self.sameStep), targetHistory[history.count].created_by == createdBy
            else { continue }
            let entry = targetHistory[history.count]
            var next = document
            next.history = history + [entry]
            next.created = entry.created
            next.container = nil
            next.rootfs.diff_ids = layers
            var layer: ContentDescriptor?
            if entry.empty_layer != true {
                let manifest = try ImageManifest.parse(source.manifest)
                guard target.rootfs.diff_ids.count > layers.count, manifest.layers.count == target.rootfs.diff_ids.count else { continue }
                next.rootfs.diff_ids.append(target.rootfs.diff_ids[layers.count])
                layer = manifest.layers[layers.count]
            }
            let image = try await images.storeBuildStep(parent: state.image, configData: try next.encoded(), existingLayer: layer)
            try await catalog.recordStep(parentID: state.image?.id ?? "", key: Self.cacheKey(createdBy, document), imageID: image.id)
            state.image = image
            state.document = next
            return true
        }
        return false
    }

    /// Whether two history entries record the same step (dockerd's comparison).
    static func sameStep(_ a: ImageConfig.History, _ b: ImageConfig.History) -> Bool {
        a.created_by == b.created_by && a.created.flatMap(UnixTime.parseRFC3339) == b.created.flatMap(UnixTime.parseRFC3339)
            && (a.comment ?? "") == (b.comment ?? "") && (a.empty_layer ?? false) == (b.empty_layer ?? false)
    }

    /// Stores the step's image (with the layer tar at `layer`, if any) and records it in the cache.
    mutating func commit(_ document: ImageDocument, createdBy: String, layer: String?, container: String?, in state: inout StageState) async throws {
        let key = Self.cacheKey(createdBy, document)
        var next = document
        let created = UnixTime.rfc3339(nano: UnixTime.nowNano)
        next.created = created
        next.container = container
        if let layer { next.rootfs.diff_ids.append(try await SHA256Digest.ofFile(atPath: layer)) }
        next.history = (next.history ?? []) + [
            ImageConfig.History(created: created, created_by: createdBy, author: nil, comment: nil, empty_layer: layer == nil ? true : nil),
        ]
        let image = try await images.storeBuildStep(parent: state.image, configData: try next.encoded(), layerPath: layer)
        try await catalog.recordStep(parentID: state.image?.id ?? "", key: key, imageID: image.id)
        state.image = image
        state.document = next
    }

    /// What identifies a step on a given parent: its history text (with the content checksum of what
    /// it copies, and the build args a RUN sees) and the configuration it leaves.
    static func cacheKey(_ createdBy: String, _ document: ImageDocument) -> String {
        SHA256Digest.of(Array((createdBy + "\n" + document.configKey).utf8))
    }

    static func short(_ id: String) -> String { String(SHA256Digest.hex(id).prefix(12)) }
}
