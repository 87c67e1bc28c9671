import Archive
import Dockerfile
import Foundation
import Messages
import Testing

@testable import Images

@Suite struct BuildStepTests {
    @Test(arguments: [
        ("/abs", "/app", "/abs"),
        ("rel", "/app", "/app/rel"),
        ("rel/", "/app", "/app/rel/"),
        (".", "/app", "/app/"),
        ("./", nil, "/"),
        ("a/../b", "/w", "/w/b"),
        ("x", nil, "/x"),
    ] as [(String, String?, String)])
    func destinationFollowsTheWorkingDirectory(raw: String, workdir: String?, expected: String) {
        #expect(ImageBuilder.destination(raw, workdir: workdir) == expected)
    }

    @Test func chownOnAnEmptyImageTakesNumbersOnly() throws {
        #expect(try CopyLayer.numericOwner("1000") == (1000, 1000))
        #expect(try CopyLayer.numericOwner("1000:50") == (1000, 50))
        #expect(throws: EngineError.self) { try CopyLayer.numericOwner("app") }
        #expect(throws: EngineError.self) { try CopyLayer.numericOwner("99999999999") }
        #expect(throws: EngineError.self) { try CopyLayer.numericOwner("-1") }
    }

    @Test func runSeesTheLatestValueOfEachDeclaredArgSorted() {
        var state = StageState(image: nil, document: .scratch)
        state.args = [("B", "2"), ("A", "1"), ("C", nil), ("B", "3")]
        #expect(state.argPairs.map { "\($0.name)=\($0.value)" } == ["A=1", "B=3"])
        state.document.config.Env = ["A=env"]
        #expect(state.lookup("A", predefined: [:]) == "env")
        #expect(state.lookup("B", predefined: [:]) == "3")
        #expect(state.lookup("HTTP_PROXY", predefined: ["HTTP_PROXY": "p"]) == "p")
    }

    @Test func metadataInstructionsChangeTheConfigAndTheHistoryText() throws {
        var document = ImageDocument.scratch
        let commands: [Command] = [
            .env([KeyValue(key: "A", value: "1"), KeyValue(key: "B", value: "x y")]),
            .env([KeyValue(key: "A", value: "2")]),
            .label([KeyValue(key: "k", value: "v")]),
            .expose(["8080", "53/udp"]),
            .volume(["/data"]),
            .workdir("/app"), .workdir("sub"),
            .user("nobody"),
            .cmd(.shell("echo hi")),
            .entrypoint(.exec(["sh", "-c"])),
        ]
        for command in commands { try ImageBuilder.apply(command, to: &document) }
        let config = document.config
        #expect(config.Env == ["A=2", "B=x y"])
        #expect(config.Labels == ["k": "v"])
        #expect(Set(config.ExposedPorts?.keys ?? [:].keys) == ["8080/tcp", "53/udp"])
        #expect(config.WorkingDir == "/app/sub")
        #expect(config.User == "nobody")
        #expect(config.Entrypoint?.values == ["sh", "-c"])
        #expect(config.Cmd == nil)
        #expect(ImageBuilder.historyText(.cmd(.exec(["cat", "/f.txt"]))) == #"CMD ["cat" "/f.txt"]"#)
        #expect(ImageBuilder.historyText(.volume(["/data", "/x"])) == "VOLUME [/data /x]")
        #expect(throws: EngineError.self) { try ImageBuilder.apply(.expose(["http"]), to: &document) }
        #expect(throws: EngineError.self) { try ImageBuilder.apply(.expose(["80-70"]), to: &document) }
        #expect(throws: EngineError.self) { try ImageBuilder.apply(.stopSignal("SIGFOO"), to: &document) }
        try ImageBuilder.apply(.stopSignal("SIGUSR1"), to: &document)
        #expect(document.config.StopSignal == "SIGUSR1")
    }

    @Test func cacheKeysDependOnTheTextAndTheResultingConfig() {
        var document = ImageDocument.scratch
        let first = ImageBuilder.cacheKey("/bin/sh -c #(nop)  ENV A=1", document)
        #expect(first == ImageBuilder.cacheKey("/bin/sh -c #(nop)  ENV A=1", document))
        #expect(first != ImageBuilder.cacheKey("/bin/sh -c #(nop)  ENV A=2", document))
        document.config.Env = ["A=1"]
        #expect(first != ImageBuilder.cacheKey("/bin/sh -c #(nop)  ENV A=1", document))
    }

    @Test func copyChecksumIgnoresMtimesButNotContentOrModes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("copy-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/dir/sub", withIntermediateDirectories: true)
        try Data("one".utf8).write(to: URL(fileURLWithPath: root + "/dir/a.txt"))
        try Data("two".utf8).write(to: URL(fileURLWithPath: root + "/dir/sub/b.txt"))
        func checksum() throws -> String {
            var archive = try CopyArchive(path: root + "/out.tar")
            try archive.addFromDisk(root + "/dir", as: "")
            return try archive.finish()
        }
        func checksumOfNone() throws -> String {
            var empty = try CopyArchive(path: nil)
            return try empty.finish()
        }
        #expect(try checksumOfNone() != checksum())
        let first = try checksum()
        let names = try listing(root + "/out.tar")
        #expect(names == ["a.txt", "sub", "sub/b.txt"])
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1000)], ofItemAtPath: root + "/dir/a.txt")
        #expect(try checksum() == first)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root + "/dir/a.txt")
        let modeChanged = try checksum()
        #expect(modeChanged != first)
        try Data("ONE".utf8).write(to: URL(fileURLWithPath: root + "/dir/a.txt"))
        #expect(try checksum() != modeChanged)
    }

    @Test func contextIsIndexedNotUnpackedAndDropsAnIgnoredDockerfile() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ctx-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let good = base + "/good.tar"
        let writer = try TarWriter(fileAt: good)
        try writer.addFile(path: "Dockerfile", contents: Array("FROM scratch\n".utf8))
        try writer.addFile(path: ".dockerignore", contents: Array("*.log\nDockerfile\n".utf8))
        try writer.addFile(path: "a.log", contents: [1])
        try writer.addFile(path: "deep/er/f.txt", contents: Array("f".utf8))
        try writer.addSymlink(path: "link", target: "/deep/er")
        try writer.finish()
        let context = try BuildContext.open(good, in: base + "/good", dockerfilePath: "Dockerfile")
        #expect(context.dockerfileText == "FROM scratch\n")
        // As dockerd: only the Dockerfile and .dockerignore go when excluded; the rest is the client's to filter.
        #expect(context.entries["Dockerfile"] == nil)
        #expect(context.entries[".dockerignore"] != nil && context.entries["a.log"] != nil)
        #expect(context.entries["deep"]?.kind == .directory)
        #expect(context.children["deep/er"] == ["f.txt"])
        #expect(context.resolve("link/f.txt") == "deep/er/f.txt")
        #expect(context.resolve("link/../../../deep") == "deep")
        #expect(try context.contents(of: "deep/er/f.txt", maxBytes: 10) == Array("f".utf8))
        #expect(!FileManager.default.fileExists(atPath: base + "/good/deep"))
        #expect(throws: EngineError.self) { try BuildContext.open(good, in: base + "/other", dockerfilePath: "Missing") }
        #expect(throws: EngineError.self) { try BuildContext.open(good, in: base + "/other", dockerfilePath: "../Dockerfile") }
    }

    private func listing(_ path: String) throws -> [String] {
        let reader = try TarReader(fileAt: path)
        defer { reader.close() }
        var names: [String] = []
        while let entry = try reader.next() { names.append(entry.path) }
        return names
    }
}
