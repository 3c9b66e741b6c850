import Agent
import PartnerCore
import ScriptedModelServer
import Synchronization
import Testing

@Suite("--json event stream: the loop's own events")
struct EventStreamLoopTests {
    @Test("compaction, notices and a retried stream match docs/events.md's schema; progress-only events print nothing")
    func loopEvents() throws {
        let lines = Lines()
        let stream = AgentEventStream { line in lines.append(line) }
        stream.agent(.compacted(elided: 3, summarized: 6, contextTokens: 8_192))
        stream.agent(.notice("the tests fail after the model's change; sending their output back"))
        stream.agent(.text(turn: 2, delta: "", restart: true))
        stream.agent(.thinking(turn: 2))
        stream.agent(.generating(turn: 2, characters: 10))
        let events = try EventSchema.validate(lines.text)
        #expect(events.compactMap { $0["type"]?.stringValue } == ["context_compacted", "notice", "model_text"])
    }
}

private final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
