/** Where Yoto's cloud lives (reference §1.1, §2, §3.1). The demo and tests point these at the simulator. */
export interface CloudEndpoints {
  authUrl: string;
  apiUrl: string;
  mqttUrl: string;
}

export const YOTO_CLOUD: CloudEndpoints = {
  authUrl: "https://login.yotoplay.com",
  apiUrl: "https://api.yotoplay.com",
  mqttUrl: "wss://aqrphjqbp3u2z-ats.iot.eu-west-2.amazonaws.com/mqtt",
};
