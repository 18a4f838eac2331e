/**
 * Loaded with `--import` into a child process (the demo): every UDP datagram it sends is written,
 * one JSON line each, to the file named by TEST_UDP_SENDS_LOG (see recordUdpSends).
 */
import {appendFileSync} from "node:fs";
import {recordUdpSends} from "./udpSends.js";

const file = process.env.TEST_UDP_SENDS_LOG;
if (file) recordUdpSends((send) => appendFileSync(file, `${JSON.stringify(send)}\n`));
