import Archive
import Dockerfile
import Foundation
import Messages
import NIOPosix

/// `COPY` and `ADD`: the sources (context files, wildcards, an earlier stage's or an image's files,
/// local tar archives that `ADD` unpacks) go into one tar, which is copied into a container of the
/// stage's image; the container's changes become the step's layer. On an empty image (`FROM scratch`)
/// the tar itself is the layer.
extension ImageBuilder {
    mutating func copyStep(_ copy: FileCopy, instruction: String, in state: inout StageState) async throws {
        let destination = Self.destination(copy.destination, workdir: state.document.config.WorkingDir)
        let archivePath = work + "/copy-\(step).tar"
        defer { try? FileManager.default.removeItem(atPath: archivePath) }
        // Context files are read for their checksum alone first: a step the cache has needs no archive.
        // What must be fetched (URLs, another image's files) is archived as it is read.
        let fetches = copy.from != nil || copy.sources.contains { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        let sources = try await writeSources(copy, instruction: instruction, destination: destination, to: fetches ? archivePath : nil)
        let target = sources.intoDirectory && !destination.hasSuffix("/") ? destination + "/" : destination
        // dockerd writes `--chown=…` with no space before the checksum; so does this, to match it.
        let chown = copy.chown.map { "--chown=\($0)" } ?? ""
        let text = "\(instruction) \(chown)\(sources.kind):\(sources.checksum) in \(copy.destination) "
        let createdBy = Self.nop(state.document) + text
        if try await reuse(createdBy: createdBy, document: state.document, in: &state) { return }
        if !fetches { _ = try await writeSources(copy, instruction: instruction, destination: destination, to: archivePath) }
        try await commitCopy(
            archivePath, to: target, chown: sources.keepsOwners ? nil : copy.chown, text: text, document: state.document, in: &state,
            announced: false)
        printResult(state)
    }

    /// `WORKDIR`: the new working directory, made (with its parents, owned by root) when the image
    /// lacks it, as dockerd makes it in a container of its own.
    mutating func workdirStep(_ path: String, in state: inout StageState) async throws {
        guard !path.isEmpty else { throw EngineError.invalidArgument("cannot normalize nothing") }
        var document = state.document
        try Self.apply(.workdir(path), to: &document)
        let directory = document.config.WorkingDir ?? "/"
        let text = "WORKDIR " + directory
        if try await reuse(createdBy: Self.nop(document) + text, document: document, in: &state) { return }
        let empty = work + "/empty.tar"
        if !FileManager.default.fileExists(atPath: empty) { try TarWriter(fileAt: empty, permissions: 0o600).finish() }
        try await commitCopy(
            empty, to: directory == "/" ? "/" : directory + "/", chown: nil, text: text, document: document, in: &state, announced: true)
        printResult(state)
    }

    /// Copies an archive into a container of the stage's image that is never started, and commits the
    /// container's changes as the step's image (on an empty image the layer is made from the archive
    /// directly). A step that changed nothing gets no layer. `announced`: the container is shown
    /// (` ---> Running in`, `Removing intermediate container`), as dockerd shows WORKDIR's.
    /// `text` is the step as its history names it after `#(nop) `.
    private mutating func commitCopy(
        _ archive: String, to destination: String, chown: String?, text: String, document: ImageDocument, in state: inout StageState,
        announced: Bool
    ) async throws {
        let createdBy = Self.nop(document) + text
        let layer = work + "/layer-\(step).tar"
        defer { try? FileManager.default.removeItem(atPath: layer) }
        guard let parent = state.image else {
            try CopyLayer.forEmptyImage(archive: archive, destination: destination, chown: chown, to: layer)
            try await commit(document, createdBy: createdBy, layer: try Self.hasEntries(layer) ? layer : nil, container: nil, in: &state)
            return
        }
        var config = document.config
        config.Image = parent.id
        config.Cmd = StringList((config.Shell ?? ["/bin/sh", "-c"]) + ["#(nop) " + text])
        config.Entrypoint = StringList([])
        let id = try await createContainer(config)
        if announced { output.print(" ---> Running in \(Self.short(id))\n") }
        do {
            let containers = subsystems.containers
            try await containers.ask(deadline: .buildStep) { try await $0.copyIn(id, fromFile: archive, destination: destination, chown: chown) }
            try await containers.ask(deadline: .buildStep) { try await $0.writeLayer(id, toFile: layer) }
            try await commit(document, createdBy: createdBy, layer: try Self.hasEntries(layer) ? layer : nil, container: id, in: &state)
        } catch {
            await removeContainer(id)
            throw error
        }
        await removeContainer(id)
        if announced && (request.remove || request.forceRemove) { output.print("Removing intermediate container \(Self.short(id))\n") }
    }

    /// Whether a tar holds any entry.
    static func hasEntries(_ path: String) throws -> Bool {
        let reader = try TarReader(fileAt: path)
        defer { reader.close() }
        return try reader.next() != nil
    }

    /// A relative destination is below the working directory; a trailing `/` (or `.`) says "a directory".
    static func destination(_ raw: String, workdir: String?) -> String {
        let isDirectory = raw.hasSuffix("/") || raw == "." || raw.hasSuffix("/.")
        let absolute = raw.hasPrefix("/") ? raw : (workdir.flatMap { $0.isEmpty ? nil : $0 } ?? "/") + "/" + raw
        let cleaned = CleanPath.clean(absolute)
        return isDirectory && cleaned != "/" ? cleaned + "/" : cleaned
    }

    /// What a `COPY`/`ADD` copies: its content checksum and Docker's word for it (`file`, `dir`,
    /// `multi`), whether it must land inside the destination (a directory's contents, several
    /// sources, an unpacked archive), and whether it keeps the owners it has (archives `ADD` unpacks).
    struct CopySources: Sendable {
        var checksum: String
        var kind: String
        var intoDirectory: Bool
        var keepsOwners: Bool
    }

    /// Writes the copy tar (or, with no `archivePath`, only reads the sources for their checksum).
    func writeSources(_ copy: FileCopy, instruction: String, destination: String, to archivePath: String?) async throws -> CopySources {
        if let from = copy.from { return try await writeSources(fromImage: from, copy, instruction: instruction, to: archivePath) }
        var downloads: [String: RemoteFile] = [:]
        for source in copy.sources where source.hasPrefix("http://") || source.hasPrefix("https://") {
            guard instruction == "ADD" else { throw EngineError.invalidArgument("\(instruction) failed: source can't be a URL for COPY") }
            downloads[source] = try await RemoteFile.download(source, into: work)
        }
        let (builder, fetched) = (self, downloads)
        // File work off the event loops: a context can be large.
        return try await NIOThreadPool.singleton.runIfActive {
            try builder.writeArchive(copy, instruction: instruction, destination: destination, downloads: fetched, to: archivePath)
        }
    }

    private func writeArchive(
        _ copy: FileCopy, instruction: String, destination: String, downloads: [String: RemoteFile], to archivePath: String?
    ) throws -> CopySources {
        var archive = try CopyArchive(path: archivePath)
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: context.tarball))
        defer { try? input.close() }
        var matched: [Bool] = []  // whether each source is a directory
        var unpacked = 0
        for source in copy.sources {
            if let file = downloads[source] {
                matched.append(false)
                try archive.addFromDisk(file.path, as: file.name)
                continue
            }
            for path in try contextPaths(matching: source, instruction: instruction) {
                // A source that is a symlink is copied as what it points at, within the context.
                guard let resolved = context.resolve(path), let entry = context.entry(resolved) else {
                    throw Self.notInContext(source, instruction: instruction)
                }
                let isDirectory = entry.kind == .directory
                matched.append(isDirectory)
                if instruction == "ADD", !isDirectory, context.isArchive(entry) {
                    unpacked += 1
                    let file = work + "/add-\(step)-\(unpacked)"
                    defer { try? FileManager.default.removeItem(atPath: file) }
                    try context.extract(entry, to: file)
                    try archive.addFromArchive(file, prefix: "", dropFirstComponent: false, keepsOwners: true, scratch: work)
                } else {
                    try archive.addFromContext(context, resolved, as: isDirectory ? "" : BuildContext.baseName(path), input: input)
                }
            }
        }
        if matched.count > 1 && !destination.hasSuffix("/") {
            throw EngineError.invalidArgument("When using \(instruction) with more than one source file, the destination must be a directory and end with a /")
        }
        let kind = matched.count > 1 ? "multi" : (matched.first == true ? "dir" : "file")
        return CopySources(
            checksum: try archive.finish(), kind: kind, intoDirectory: kind != "file" || unpacked > 0,
            keepsOwners: unpacked > 0 && unpacked == matched.count)
    }

    static func notInContext(_ source: String, instruction: String) -> EngineError {
        EngineError.invalidArgument("\(instruction) failed: file not found in build context or excluded by .dockerignore: stat \(source): file does not exist")
    }

    /// The context paths a source names: itself, or what its wildcards match (Go's path.Match, on the
    /// whole relative path). Missing or excluded files are dockerd's error.
    func contextPaths(matching source: String, instruction: String) throws -> [String] {
        var cleaned = CleanPath.clean("/" + source)
        cleaned.removeFirst()
        if source.hasPrefix("..") || CleanPath.clean(source).hasPrefix("..") {
            throw EngineError.invalidArgument("\(instruction) failed: forbidden path outside the build context: \(source) ()")
        }
        guard PathPattern.hasWildcards(cleaned) else {
            guard context.entry(cleaned) != nil else { throw Self.notInContext(source, instruction: instruction) }
            return [cleaned]
        }
        do {
            let found = try context.paths.filter { try PathPattern.matches(cleaned, $0) }
            guard !found.isEmpty else { throw EngineError.invalidArgument("\(instruction) failed: no source files were specified") }
            return found
        } catch let error as DockerfileError {
            throw EngineError.invalidArgument("\(instruction) failed: \(error.message)")
        }
    }

    /// `COPY --from`: the sources from an earlier stage or an image, through a container that is never
    /// started (its files are read as `docker cp` reads them).
    func writeSources(fromImage from: String, _ copy: FileCopy, instruction: String, to archivePath: String?) async throws -> CopySources {
        let image: StoredImage
        if let index = stageIndex(from) {
            guard let built = stageImages[index] else { throw EngineError.invalidArgument("stage \(from) has no files to copy from") }
            image = built
        } else {
            do {
                image = try await baseImage(from)
            } catch let error as EngineError {
                throw EngineError(error.code, "invalid from flag value \(from): \(error.message)")
            }
        }
        var config = try ImageDocument.parse(image.config).config
        config.Image = image.id
        config.Cmd = StringList(["/bin/sh", "-c", "#(nop) COPY --from"])
        config.Entrypoint = StringList([])
        let id = try await createContainer(config)
        defer { Task { [subsystems] in _ = try? await subsystems.containers.ask { try await $0.remove(id, force: true, volumes: true) } } }
        var archive = try CopyArchive(path: archivePath)
        var directories = 0
        for (index, source) in copy.sources.enumerated() {
            let part = work + "/from-\(index).tar"
            defer { try? FileManager.default.removeItem(atPath: part) }
            let path = source.hasPrefix("/") ? source : "/" + source
            let stat: String
            do {
                stat = try await subsystems.containers.ask(deadline: .buildStep) { try await $0.archivePath(id, path: path, toFile: part) }
            } catch let error as EngineError where error.code == .notFound {
                throw EngineError.invalidArgument("\(instruction) failed: stat \(path): file does not exist")
            }
            let isDirectory = Self.statSaysDirectory(stat)
            if isDirectory { directories += 1 }
            try archive.addFromArchive(part, prefix: "", dropFirstComponent: isDirectory, keepsOwners: false, scratch: work)
        }
        let kind = copy.sources.count > 1 ? "multi" : (directories > 0 ? "dir" : "file")
        return CopySources(checksum: try archive.finish(), kind: kind, intoDirectory: kind != "file", keepsOwners: false)
    }

    /// Whether a `X-Docker-Container-Path-Stat` value describes a directory (Go's `os.ModeDir` bit).
    static func statSaysDirectory(_ header: String) -> Bool {
        guard let data = Data(base64Encoded: header),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let mode = object["mode"] as? NSNumber
        else { return false }
        return mode.uint32Value & (1 << 31) != 0
    }

}
