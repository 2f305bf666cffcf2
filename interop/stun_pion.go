// stun_pion: one STUN or TURN exchange with our server through pion/stun's codec (Debian's
// golang-github-pion-stun-dev), for what pion's own tools under cmd/ never send. Built by
// interop/stun-turn.sh in GOPATH mode, offline. Prints one line of what came back:
//
//	stun_pion fingerprint HOST:PORT             Binding + FINGERPRINT; the answer's checked
//	stun_pion short-term HOST:PORT USER PASS    Binding signed with short-term credentials
//	stun_pion unknown HOST:PORT [USER PASS]     Binding with comprehension-required 0x7ff0,
//	                                            signed with short-term credentials if given
//	stun_pion tcp HOST:PORT                     Binding over TCP (RFC 8489 6.2.2 framing)
//	stun_pion turn HOST:PORT SECRET             Allocate with REST credentials (with
//	                                            DONT-FRAGMENT first), a Send indication to
//	                                            a local peer, its Data back, Refresh to 0
package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/pion/stun"
)

var (
	requestedTransport = stun.RawAttribute{Type: stun.AttrRequestedTransport, Value: []byte{17, 0, 0, 0}}
	lifetimeZero       = stun.RawAttribute{Type: stun.AttrLifetime, Value: []byte{0, 0, 0, 0}}
)

func main() {
	if len(os.Args) < 3 {
		fail("usage: stun_pion fingerprint|short-term|unknown|tcp|turn HOST:PORT [ARGS]")
	}
	network := "udp4"
	if os.Args[1] == "tcp" {
		network = "tcp4"
	}
	conn, err := net.Dial(network, os.Args[2])
	check(err)
	defer conn.Close()
	switch os.Args[1] {
	case "fingerprint":
		res := roundTrip(conn, stun.BindingRequest, stun.Fingerprint)
		fmt.Printf("%s mapped=%s self=%t fingerprint=%s\n", res.Type.Class, mapped(res), self(conn, res),
			verdict(stun.Fingerprint.Check(res)))
	case "short-term":
		key := stun.NewShortTermIntegrity(os.Args[4])
		res := roundTrip(conn, stun.BindingRequest, stun.NewUsername(os.Args[3]), key, stun.Fingerprint)
		if res.Type.Class == stun.ClassErrorResponse {
			fmt.Printf("%s code=%d\n", res.Type.Class, errorCode(res))
			return
		}
		fmt.Printf("%s mapped=%s self=%t integrity=%s fingerprint=%s\n", res.Type.Class, mapped(res), self(conn, res),
			verdict(key.Check(res)), verdict(stun.Fingerprint.Check(res)))
	case "unknown":
		unknown := stun.RawAttribute{Type: 0x7ff0, Value: []byte{1, 2, 3, 4}}
		if len(os.Args) < 5 {
			res := roundTrip(conn, stun.BindingRequest, unknown, stun.Fingerprint)
			fmt.Printf("%s code=%d unknown=%s fingerprint=%s\n", res.Type.Class, errorCode(res), unknownTypes(res),
				verdict(stun.Fingerprint.Check(res)))
			return
		}
		key := stun.NewShortTermIntegrity(os.Args[4])
		res := roundTrip(conn, stun.BindingRequest, unknown, stun.NewUsername(os.Args[3]), key, stun.Fingerprint)
		fmt.Printf("%s code=%d unknown=%s integrity=%s\n", res.Type.Class, errorCode(res), unknownTypes(res),
			verdict(key.Check(res)))
	case "tcp":
		res := roundTrip(conn, stun.BindingRequest)
		fmt.Printf("%s mapped=%s self=%t\n", res.Type.Class, mapped(res), self(conn, res))
	case "turn":
		turn(conn, os.Args[3])
	default:
		fail("unknown case " + os.Args[1])
	}
}

// turn allocates as RFC 8656 section 7 and RFC 8489 9.2 describe, relays one datagram each way.
func turn(conn net.Conn, secret string) {
	allocate := stun.NewType(stun.MethodAllocate, stun.ClassRequest)
	res := roundTrip(conn, allocate, requestedTransport)
	var realm stun.Realm
	var nonce stun.Nonce
	check(realm.GetFrom(res))
	check(nonce.GetFrom(res))
	fmt.Printf("challenge=%d ", errorCode(res))
	user := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10) + ":pion"
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(user))
	key := stun.NewLongTermIntegrity(user, realm.String(), base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	signed := func(t stun.MessageType, more ...stun.Setter) *stun.Message {
		setters := append(more, stun.NewUsername(user), realm, nonce, key, stun.Fingerprint)
		res := roundTrip(conn, t, setters...)
		if res.Type.Class != stun.ClassSuccessResponse {
			fail(fmt.Sprintf("%s: %s code=%d", t, res.Type.Class, errorCode(res)))
		}
		check(key.Check(res))
		return res
	}
	// RFC 8656 7.2: DONT-FRAGMENT, which this server cannot honour, is refused as an unknown
	// comprehension-required attribute, and as the answer to an authenticated request, signed.
	res = roundTrip(conn, allocate, requestedTransport, stun.RawAttribute{Type: stun.AttrDontFragment},
		stun.NewUsername(user), realm, nonce, key, stun.Fingerprint)
	fmt.Printf("dont-fragment=%d unknown=%s integrity=%s ", errorCode(res), unknownTypes(res), verdict(key.Check(res)))
	res = signed(allocate, requestedTransport)
	var relayed stun.XORMappedAddress
	check(relayed.GetFromAs(res, stun.AttrXORRelayedAddress))
	fmt.Printf("allocate=%s relayed=%s self=%t ", res.Type.Class, relayed.String(), self(conn, res))

	peer, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	check(err)
	defer peer.Close()
	peerAddr := peer.LocalAddr().(*net.UDPAddr)
	xorPeer := peerAddress{IP: peerAddr.IP, Port: peerAddr.Port}
	signed(stun.NewType(stun.MethodCreatePermission, stun.ClassRequest), xorPeer)
	send := stun.MustBuild(stun.TransactionID, stun.NewType(stun.MethodSend, stun.ClassIndication),
		xorPeer, stun.RawAttribute{Type: stun.AttrData, Value: []byte("ping")}, stun.Fingerprint)
	_, err = conn.Write(send.Raw)
	check(err)
	buf := make([]byte, 1500)
	check(peer.SetReadDeadline(time.Now().Add(3 * time.Second)))
	n, from, err := peer.ReadFromUDP(buf)
	check(err)
	fmt.Printf("peer-got=%q from-relay=%t ", buf[:n], from.String() == relayed.String())
	_, err = peer.WriteToUDP([]byte("pong"), from)
	check(err)
	data := read(conn)
	payload, err := data.Get(stun.AttrData)
	check(err)
	fmt.Printf("data=%s payload=%q ", data.Type, payload)
	res = signed(stun.NewType(stun.MethodRefresh, stun.ClassRequest), lifetimeZero)
	fmt.Printf("refresh0=%s\n", res.Type.Class)
}

// roundTrip sends a request built of setters (a fresh transaction id first) and returns the
// answer with the same id, sending again every 500 ms up to 5 times (RFC 8489 6.2.1, shortened).
func roundTrip(conn net.Conn, t stun.MessageType, setters ...stun.Setter) *stun.Message {
	req := stun.MustBuild(append([]stun.Setter{stun.TransactionID, t}, setters...)...)
	for try := 0; try < 5; try++ {
		_, err := conn.Write(req.Raw)
		check(err)
		check(conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond)))
		for {
			res, err := readOnce(conn)
			if err != nil {
				break // timed out: send again
			}
			if res.TransactionID == req.TransactionID {
				return res
			}
		}
	}
	fail(fmt.Sprintf("no answer to %s", t))
	return nil
}

// peerAddress is XOR-PEER-ADDRESS: XOR-MAPPED-ADDRESS's encoding under another type.
type peerAddress stun.XORMappedAddress

func (a peerAddress) AddTo(m *stun.Message) error {
	return stun.XORMappedAddress(a).AddToAs(m, stun.AttrXORPeerAddress)
}

func read(conn net.Conn) *stun.Message {
	check(conn.SetReadDeadline(time.Now().Add(3 * time.Second)))
	m, err := readOnce(conn)
	check(err)
	return m
}

// readOnce reads one message: a datagram, or over TCP a 20-byte header and its length's worth.
func readOnce(conn net.Conn) (*stun.Message, error) {
	buf := make([]byte, 1500)
	n, err := 0, error(nil)
	if _, tcp := conn.(*net.TCPConn); tcp {
		if _, err = io.ReadFull(conn, buf[:20]); err == nil {
			n = 20 + int(binary.BigEndian.Uint16(buf[2:4]))
			_, err = io.ReadFull(conn, buf[20:n])
		}
	} else {
		n, err = conn.Read(buf)
	}
	if err != nil {
		return nil, err
	}
	m := &stun.Message{Raw: buf[:n]}
	return m, m.Decode()
}

func mapped(m *stun.Message) string {
	var a stun.XORMappedAddress
	if err := a.GetFrom(m); err != nil {
		return "none"
	}
	return a.String()
}

// self says whether XOR-MAPPED-ADDRESS is our own socket's address (on loopback, no NAT between).
func self(conn net.Conn, m *stun.Message) bool {
	return mapped(m) == conn.LocalAddr().String()
}

// unknownTypes reads UNKNOWN-ATTRIBUTES as RFC 8489 14.9 lays it out, 16 bits a type. Not
// stun.UnknownAttributes.GetFrom: pion/stun 0.4.0 takes 4 bytes a type (uattrs.go attrTypeSize),
// so it refuses a one-type list ("bad UNKNOWN-ATTRIBUTES size") and misreads longer ones.
func unknownTypes(m *stun.Message) string {
	v, err := m.Get(stun.AttrUnknownAttributes)
	if err != nil || len(v)%2 != 0 {
		return "none"
	}
	s := ""
	for i := 0; i < len(v); i += 2 {
		s += fmt.Sprintf("%s0x%04x", map[bool]string{true: "", false: ","}[i == 0], binary.BigEndian.Uint16(v[i:]))
	}
	return s
}

func errorCode(m *stun.Message) int {
	var e stun.ErrorCodeAttribute
	if err := e.GetFrom(m); err != nil {
		return 0
	}
	return int(e.Code)
}

func verdict(err error) string {
	if err != nil {
		return "invalid(" + err.Error() + ")"
	}
	return "valid"
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(why string) {
	fmt.Println("error:", why)
	os.Exit(1)
}
