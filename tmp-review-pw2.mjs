import {chromium} from "playwright-core";
const B = "http://127.0.0.1:18099/";
const browser = await chromium.launch({executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"]});
const ctx = await browser.newContext({viewport: {width: 800, height: 1280}});
const page = await ctx.newPage();
const t0 = Date.now();
const ts = () => ((Date.now() - t0) / 1000).toFixed(1);
page.on("request", (r) => { if (/api\/(events|children)/.test(r.url())) console.log(ts(), "REQ", r.url().replace(B, "")); });
page.on("requestfailed", (r) => console.log(ts(), "FAILED", r.url().replace(B, ""), r.failure()?.errorText));
await page.goto(B + "child/Mia");
for (let i = 0; i < Number(process.env.LOOPS || 24); i++) {
  await page.waitForTimeout(5000);
  const s = await page.evaluate(() => {
    const root = document.querySelector("yss-child-page").shadowRoot;
    const sleep = root.querySelector("yss-child-sleep");
    return {tiles: root.querySelectorAll("button.tile").length, disabled: root.querySelectorAll("button.tile[disabled]").length, sleep: !!sleep, sleepText: sleep?.shadowRoot?.innerHTML.replace(/<!--.*?-->/g, "").replace(/<svg.*?<\/svg>/gs, "[svg]").slice(0, 600), picture: root.querySelector(".picture")?.getAttribute("aria-label")};
  });
  console.log(ts(), JSON.stringify(s));
}
await page.screenshot({path: "/tmp/yss-pw2.png"});
await browser.close();
