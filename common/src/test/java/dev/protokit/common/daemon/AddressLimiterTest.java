package dev.protokit.common.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.protokit.common.daemon.AddressLimiter.Admitted;
import dev.protokit.common.daemon.AddressLimiter.Refused;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressLimiterTest {
    private static final InetAddress A = InetAddress.getLoopbackAddress();
    private static final InetAddress B = addr("192.0.2.7");

    @Test
    void refusesPastThePerAddressLimitButAdmitsOtherAddresses() {
        var limiter = new AddressLimiter(new ConnectionLimits(10, 2));
        assertInstanceOf(Admitted.class, limiter.admit(A));
        assertInstanceOf(Admitted.class, limiter.admit(A));
        var third = assertInstanceOf(Refused.class, limiter.admit(A));
        assertEquals(Rejection.TOO_MANY_FROM_ADDRESS, third.rejection());
        assertInstanceOf(Admitted.class, limiter.admit(B));
        assertEquals(3, limiter.active());
    }

    @Test
    void refusesPastTheGlobalLimit() {
        var limiter = new AddressLimiter(new ConnectionLimits(1, 5));
        assertInstanceOf(Admitted.class, limiter.admit(A));
        assertEquals(Rejection.TOO_MANY_SESSIONS, assertInstanceOf(Refused.class, limiter.admit(B)).rejection());
        assertEquals(1, limiter.active());
    }

    @Test
    void closingAPermitFreesItsPlaceOnceAndForgetsIdleAddresses() {
        var limiter = new AddressLimiter(new ConnectionLimits(1, 1));
        var permit = limiter.tryAcquire(A).orElseThrow();
        assertEquals(true, limiter.tryAcquire(A).isEmpty());
        permit.close();
        permit.close();
        assertEquals(0, limiter.active());
        assertEquals(0, limiter.active(A));
        assertEquals(true, limiter.tryAcquire(A).isPresent());
    }

    @Test
    void countsIpv6PeersPerSlash64SoRotatingAddressesDoesNotEscapeTheLimit() {
        var limiter = new AddressLimiter(new ConnectionLimits(10, 2));
        assertInstanceOf(Admitted.class, limiter.admit(addr("2001:db8:1:2::1")));
        assertInstanceOf(Admitted.class, limiter.admit(addr("2001:db8:1:2:ffff::9")));
        assertEquals(Rejection.TOO_MANY_FROM_ADDRESS,
                assertInstanceOf(Refused.class, limiter.admit(addr("2001:db8:1:2:abcd::77"))).rejection());
        assertInstanceOf(Admitted.class, limiter.admit(addr("2001:db8:1:3::1")));
        assertEquals(2, limiter.active(addr("2001:db8:1:2::5")));
    }

    @Test
    void limitKeyKeepsIpv4AndTruncatesIpv6ToItsNetwork() {
        assertEquals(addr("192.0.2.7"), Addresses.limitKey(addr("192.0.2.7")));
        assertEquals(addr("2001:db8:1:2::"), Addresses.limitKey(addr("2001:db8:1:2:3:4:5:6")));
    }

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
