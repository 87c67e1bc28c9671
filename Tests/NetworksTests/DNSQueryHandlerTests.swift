import NIOCore
import NIOPosix
import Testing

@testable import Networks

@Suite struct DNSQueryHandlerTests {
    func handler(
        forwarding: ConcurrencyLimit = ConcurrencyLimit(8), _ lookup: @escaping @Sendable (DNSLookup) async -> DNSLookupAnswer
    ) throws -> DNSQueryHandler {
        DNSQueryHandler(
            listenAddress: "127.0.0.1", localAddress: try SocketAddress(ipAddress: "127.0.0.1", port: 53), lookup: lookup,
            forwarder: DNSForwarder(group: MultiThreadedEventLoopGroup.singleton, timeout: .milliseconds(300)),
            forwarding: forwarding, logger: dnsTestLogger)
    }

    func reply(_ query: [UInt8], _ answer: DNSLookupAnswer) async throws -> DNSMessage {
        let bytes = try await handler { _ in answer }.reply(to: query, from: "172.18.0.5")
        return try DNSMessage(bytes: try #require(bytes))
    }

    @Test func asksTheLookupInLowerCaseWithTheAddresses() async throws {
        let handler = try handler { lookup in
            #expect(lookup == DNSLookup(name: "web.mynet", type: .a, listenAddress: "127.0.0.1", sourceAddress: "172.18.0.5"))
            return .addresses(["172.18.0.2"])
        }
        let reply = try DNSMessage(bytes: try #require(await handler.reply(to: try queryBytes("Web.MyNet.", .a), from: "172.18.0.5")))
        #expect(reply.answers.count == 1)
    }

    @Test func answersAddressesWithTheQueryEchoed() async throws {
        let reply = try await reply(try queryBytes("Web", .a, id: 0xABCD), .addresses(["172.18.0.2", "172.18.0.3"]))
        #expect(reply.id == 0xABCD)
        #expect(reply.isResponse && reply.recursionDesired && reply.recursionAvailable && !reply.isAuthoritative && !reply.isTruncated)
        #expect(reply.responseCode == .noError)
        #expect(reply.questions == [DNSQuestion(name: try DNSName("Web"), type: .a)])
        #expect(reply.answers.map(\.data) == [[172, 18, 0, 2], [172, 18, 0, 3]])
        #expect(reply.answers.allSatisfy { $0.ttl == 600 && $0.type == .a && $0.name == reply.questions[0].name })
        #expect(reply.additionals.isEmpty)
    }

    @Test func recursionDesiredIsCopied() async throws {
        var query = try DNSMessage(bytes: try queryBytes("web", .a))
        query.recursionDesired = false
        #expect(try await reply(query.encoded(), .addresses(["172.18.0.2"])).recursionDesired == false)
    }

    @Test func aKnownNameWithoutIPv6AddressesHasNoAAAAAnswers() async throws {
        let reply = try await reply(try queryBytes("web", .aaaa), .addresses(["172.18.0.2"]))
        #expect(reply.responseCode == .noError)
        #expect(reply.answers.isEmpty)
    }

    @Test func aaaaQuestionsGetTheIPv6Addresses() async throws {
        let reply = try await reply(try queryBytes("web", .aaaa), .addresses(["172.18.0.2", "fd00::2"]))
        #expect(reply.answers.map(\.type) == [.aaaa])
        #expect(reply.answers.first?.data == [0xFD] + Array(repeating: 0, count: 14) + [2])
    }

    @Test func emptyAddressesAndInvalidOnesAnswerNothing() async throws {
        #expect(try await reply(try queryBytes("web", .a), .addresses([])).answers.isEmpty)
        #expect(try await reply(try queryBytes("web", .a), .addresses(["not-an-address"])).answers.isEmpty)
    }

    @Test func answersPointers() async throws {
        let reply = try await reply(try queryBytes("2.0.18.172.in-addr.arpa", .ptr), .pointer("web.mynet"))
        #expect(reply.responseCode == .noError)
        #expect(reply.answers == [DNSRecord(name: try DNSName("2.0.18.172.in-addr.arpa"), pointingTo: try DNSName("web.mynet"), ttl: 600)])
    }

    @Test func aPointerAnswersNoOtherType() async throws {
        #expect(try await reply(try queryBytes("2.0.18.172.in-addr.arpa", .a), .pointer("web.mynet")).answers.isEmpty)
    }

    @Test func anUnknownNameIsNXDOMAIN() async throws {
        let reply = try await reply(try queryBytes("nothing", .a), .notFound)
        #expect(reply.responseCode == .nameError)
        #expect(reply.answers.isEmpty)
    }

    @Test func unforwardedAndRefusedQueriesGetTheirCodes() async throws {
        #expect(try await reply(try queryBytes("example.com", .a), .serverFailure).responseCode == .serverFailure)
        let refused = try await reply(try queryBytes("web", .a), .refused)
        #expect(refused.responseCode == .refused && refused.answers.isEmpty)
    }

    @Test func forwardingToNoUpstreamIsServerFailure() async throws {
        let reply = try await reply(try queryBytes("example.com", .a), .forward([]))
        #expect(reply.responseCode == .serverFailure)
        #expect(reply.questions.map(\.name.description) == ["example.com"])
    }

    @Test func theListeningSocketIsNeverAnUpstream() async throws {
        // 127.0.0.1:53 is the handler's own socket: forwarding there would loop, so nothing is sent.
        #expect(try await reply(try queryBytes("example.com", .a), .forward(["127.0.0.1"])).responseCode == .serverFailure)
    }

    @Test func forwardsPastTheLimitFailAtOnce() async throws {
        let upstream = try await SilentUpstream()
        let forwarding = ConcurrencyLimit(1)
        let handler = try handler(forwarding: forwarding) { _ in .forward([upstream.address]) }
        #expect(forwarding.tryAcquire())
        let refused = try DNSMessage(bytes: try #require(await handler.reply(to: try queryBytes("example.com", .a), from: "172.18.0.5")))
        #expect(refused.responseCode == .serverFailure)
        forwarding.release()
        _ = await handler.reply(to: try queryBytes("example.com", .a), from: "172.18.0.5")
        #expect(await upstream.close() == 1)
    }

    @Test func responsesAndMalformedDatagramsGetNoReply() async throws {
        var response = try DNSMessage(bytes: try queryBytes("web", .a))
        response.isResponse = true
        let handler = try handler { _ in .addresses(["172.18.0.2"]) }
        #expect(await handler.reply(to: response.encoded(), from: "172.18.0.5") == nil)
        #expect(await handler.reply(to: [0x12, 0x34, 0x01], from: "172.18.0.5") == nil)
    }

    @Test func otherOpcodesAreNotImplemented() async throws {
        var update = try DNSMessage(bytes: try queryBytes("web", .a))
        update.opcode = 5
        let reply = try await reply(update.encoded(), .addresses(["172.18.0.2"]))
        #expect(reply.responseCode == .notImplemented && reply.opcode == 5 && reply.answers.isEmpty)
    }

    @Test func aQueryWithoutOneQuestionIsAFormatError() async throws {
        var query = try DNSMessage(bytes: try queryBytes("web", .a))
        query.questions.append(query.questions[0])
        let reply = try await reply(query.encoded(), .addresses(["172.18.0.2"]))
        #expect(reply.responseCode == .formatError && reply.questions.isEmpty)
    }

    @Test func otherClassesAreRefused() async throws {
        var query = try DNSMessage(bytes: try queryBytes("version.bind", .other(16)))
        query.questions[0].recordClass = 3
        #expect(try await reply(query.encoded(), .notFound).responseCode == .refused)
    }

    @Test func anEDNSQueryGetsAnOPTRecord() async throws {
        let reply = try await reply(try queryBytes("web", .a, ednsPayloadSize: 4096), .addresses(["172.18.0.2"]))
        #expect(reply.ednsPayloadSize == 1232)
        #expect(reply.answers.count == 1)
    }

    @Test(arguments: [(nil, 512), (UInt16(4096), 1232), (UInt16(100), 512)] as [(UInt16?, Int)])
    func manyAddressesAreCutToFitTheReply(ednsPayloadSize: UInt16?, limit: Int) async throws {
        let addresses = (1...250).map { "172.18.0.\($0)" }
        let query = try queryBytes("web", .a, ednsPayloadSize: ednsPayloadSize)
        let bytes = try #require(await handler { _ in .addresses(addresses) }.reply(to: query, from: "172.18.0.5"))
        let reply = try DNSMessage(bytes: bytes)
        #expect(bytes.count <= limit && bytes.count > limit - 16)
        #expect(!reply.isTruncated)
        #expect(reply.answers.first?.data == [172, 18, 0, 1])
    }
}
