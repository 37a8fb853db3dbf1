/**
 * Link layers → offset of the IP header. Numbers are LINKTYPE_* values (https://www.tcpdump.org/linktypes.html).
 * Returns a non-negative offset, NOT_IP for a valid frame that carries something else (ARP, LLC...), or
 * TOO_SHORT when the frame ends inside the link header. No allocation: called once per packet.
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW_12 = 12; // DLT_RAW on most BSDs/Linux when written unmapped
export const LINKTYPE_RAW_14 = 14; // DLT_RAW on OpenBSD
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const NOT_IP = -1;
export const TOO_SHORT = -2;
export const UNSUPPORTED_LINK = -3;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad service tag
const ETHERTYPE_QINQ_OLD = 0x9100; // pre-standard QinQ
const MAX_TAGS = 8;

function ethertypeIp(t: number): boolean {
  return t === ETHERTYPE_IPV4 || t === ETHERTYPE_IPV6;
}

/** BSD address families that mean IPv4/IPv6 (AF_INET = 2; AF_INET6 = 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS, 10 Linux). */
function familyIp(f: number): boolean {
  return f === 2 || f === 24 || f === 28 || f === 30 || f === 10;
}

export function ipOffset(linkType: number, buf: Uint8Array, off: number, end: number): number {
  switch (linkType) {
    case LINKTYPE_ETHERNET: {
      if (end - off < 14) return TOO_SHORT;
      let p = off + 12;
      let type = (buf[p] << 8) | buf[p + 1];
      // 802.1Q / 802.1ad tags (possibly stacked, QinQ): 2 bytes TCI then the next EtherType.
      for (let i = 0; i < MAX_TAGS && (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD); i++) {
        p += 4;
        if (end - p < 2) return TOO_SHORT;
        type = (buf[p] << 8) | buf[p + 1];
      }
      return ethertypeIp(type) ? p + 2 : NOT_IP;
    }
    case LINKTYPE_LINUX_SLL: {
      // Linux cooked v1: 16 bytes, protocol (EtherType) in the last 2.
      if (end - off < 16) return TOO_SHORT;
      return ethertypeIp((buf[off + 14] << 8) | buf[off + 15]) ? off + 16 : NOT_IP;
    }
    case LINKTYPE_LINUX_SLL2: {
      // Linux cooked v2: 20 bytes, protocol first.
      if (end - off < 20) return TOO_SHORT;
      return ethertypeIp((buf[off] << 8) | buf[off + 1]) ? off + 20 : NOT_IP;
    }
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_12:
    case LINKTYPE_RAW_14:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return off;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      // 4-byte address family: host byte order of the capturing machine for NULL, network order for LOOP;
      // writers get this wrong often enough that both orders are accepted for both.
      if (end - off < 4) return TOO_SHORT;
      const leFam = buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24);
      const beFam = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
      return familyIp(leFam) || familyIp(beFam) ? off + 4 : NOT_IP;
    }
    default:
      return UNSUPPORTED_LINK;
  }
}
