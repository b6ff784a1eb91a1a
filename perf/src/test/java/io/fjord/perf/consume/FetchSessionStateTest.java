package io.fjord.perf.consume;

import io.fjord.common.errors.Errors;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FetchSessionStateTest {

    @Test
    void shouldOpenASessionWithAFullFetchAndThenSendOnlyMovedPartitionsAtRisingEpochs() {
        FetchSessionState session = new FetchSessionState(true, 8);

        assertThat(session.nextIsFull()).isTrue();
        assertThat(session.requestSessionId()).isZero();
        assertThat(session.requestEpoch()).isZero();
        session.sending();
        session.answered(42);

        session.moved(3);
        session.moved(1);
        session.moved(3);
        assertThat(session.nextIsFull()).isFalse();
        assertThat(session.requestSessionId()).isEqualTo(42);
        assertThat(session.requestEpoch()).isEqualTo(1);
        assertThat(session.sending()).containsExactly(3, 1);
        session.answered(42);

        assertThat(session.requestEpoch()).isEqualTo(2);
        assertThat(session.sending()).as("nothing moved since the last request").isEmpty();
    }

    @Test
    void shouldStayOnFullFetchesWhenTheBrokerOpensNoSession() {
        FetchSessionState session = new FetchSessionState(true, 4);

        session.sending();
        session.answered(0);

        assertThat(session.nextIsFull()).isTrue();
        assertThat(session.requestSessionId()).isZero();
        assertThat(session.requestEpoch()).isZero();
    }

    @Test
    void shouldStartANewSessionAfterTheBrokerLostIt() {
        FetchSessionState session = new FetchSessionState(true, 4);
        session.sending();
        session.answered(7);
        session.moved(2);
        session.sending();

        assertThat(FetchSessionState.isLost(Errors.FETCH_SESSION_ID_NOT_FOUND.code())).isTrue();
        assertThat(FetchSessionState.isLost(Errors.INVALID_FETCH_SESSION_EPOCH.code())).isTrue();
        assertThat(FetchSessionState.isLost(Errors.NOT_LEADER_OR_FOLLOWER.code())).isFalse();
        session.lost();

        assertThat(session.nextIsFull()).isTrue();
        assertThat(session.requestSessionId()).isZero();
        assertThat(session.requestEpoch()).isZero();
        session.moved(1);
        assertThat(session.sending()).as("a full request lists every partition itself").isEmpty();
        session.answered(8);
        assertThat(session.requestSessionId()).isEqualTo(8);
        assertThat(session.requestEpoch()).isEqualTo(1);
        assertThat(session.sending()).as("what moved before the full request went with it").isEmpty();
    }

    @Test
    void shouldFetchSessionlessWhenDisabled() {
        FetchSessionState session = new FetchSessionState(false, 4);

        session.sending();
        session.answered(99);
        session.moved(0);

        assertThat(session.nextIsFull()).isTrue();
        assertThat(session.requestSessionId()).isZero();
        assertThat(session.requestEpoch()).isEqualTo(-1);
    }
}
