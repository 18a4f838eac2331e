import type {PluginRegistry} from "../registry.js";
import {announceAction} from "./actions/announce.js";
import {refreshFeedAction} from "./actions/feed.js";
import {
  chooseAction,
  conditionAction,
  delayAction,
  ifAction,
  variablesAction,
  waitForTriggerAction,
} from "./actions/flow.js";
import {logAction, mqttPublishAction, stopAction} from "./actions/misc.js";
import {playerActions} from "./actions/player.js";
import {quietAction} from "./actions/quiet.js";
import {setRadioAction} from "./actions/radio.js";
import {speakAction} from "./actions/speak.js";
import {storyActions} from "./actions/story.js";
import {streamActions} from "./actions/stream.js";
import {windDownAction} from "./actions/windDown.js";
import {listeningCondition} from "./conditions/listening.js";
import {andCondition, notCondition, orCondition} from "./conditions/logic.js";
import {playerCondition} from "./conditions/player.js";
import {storyCondition} from "./conditions/story.js";
import {streamCondition} from "./conditions/stream.js";
import {templateCondition} from "./conditions/template.js";
import {timeCondition} from "./conditions/time.js";
import {triggerCondition} from "./conditions/trigger.js";
import {buttonTrigger} from "./triggers/button.js";
import {cardTrigger} from "./triggers/card.js";
import {familyTrigger} from "./triggers/family.js";
import {listeningTrigger} from "./triggers/listening.js";
import {mqttTrigger} from "./triggers/mqtt.js";
import {playerTrigger} from "./triggers/player.js";
import {startupTrigger} from "./triggers/startup.js";
import {storyTrigger} from "./triggers/story.js";
import {streamRequestedTrigger} from "./triggers/streamRequested.js";
import {timeTrigger} from "./triggers/time.js";
import {timePatternTrigger} from "./triggers/timePattern.js";
import {volumeTrigger} from "./triggers/volume.js";

/** The built-ins, registered through the same call third-party plugins use. */
export function registerBuiltins(registry: PluginRegistry): void {
  for (const plugin of [
    timeTrigger,
    timePatternTrigger,
    playerTrigger,
    buttonTrigger,
    cardTrigger,
    volumeTrigger,
    listeningTrigger,
    familyTrigger,
    streamRequestedTrigger,
    storyTrigger,
    mqttTrigger,
    startupTrigger,
    timeCondition,
    playerCondition,
    listeningCondition,
    streamCondition,
    storyCondition,
    andCondition,
    orCondition,
    notCondition,
    templateCondition,
    triggerCondition,
    ...streamActions,
    setRadioAction,
    refreshFeedAction,
    speakAction,
    ...playerActions,
    windDownAction,
    quietAction,
    announceAction,
    ...storyActions,
    chooseAction,
    ifAction,
    delayAction,
    waitForTriggerAction,
    conditionAction,
    variablesAction,
    mqttPublishAction,
    logAction,
    stopAction,
  ])
    registry.register(plugin);
}
