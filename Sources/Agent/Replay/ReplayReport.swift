/// What a replay found: each recorded tool call re-run and compared, and whether the
/// conversation went the recorded way to its end.
public struct ReplayReport: Sendable, Codable, Equatable {
    public struct Step: Sendable, Codable, Equatable {
        public var index: Int
        public var name: String
        public var callID: String
        /// The replay made the call the recording made at this point (name and arguments).
        public var sameCall: Bool
        public var recordedOK: Bool?
        public var replayedOK: Bool
        /// Same call, same success, same output (durations in the output aside).
        public var identical: Bool
        /// Where the outputs first differ, when they do.
        public var difference: String?
    }

    public var original: String
    public var replay: String
    public var workspace: String
    public var steps: [Step]
    public var recordedToolCalls: Int
    public var recordedResponses: Int
    public var responsesServed: Int
    /// How the replayed tasks ended ("completed", "turn_limit", …), or "diverged" when the
    /// replay needed answers the recording does not have.
    public var outcome: String
    public var recordedOutcome: String?
    public var divergence: String?

    public var identicalSteps: Int { steps.filter(\.identical).count }

    /// Every recorded call was made again with the same result, and nothing more.
    public var matches: Bool {
        divergence == nil && steps.count == recordedToolCalls && steps.allSatisfy(\.identical)
            && responsesServed == recordedResponses
    }
}
