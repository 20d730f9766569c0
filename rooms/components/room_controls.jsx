// The room's control bar: LiveKit's controls, icons only, each with a label from the
// viewer's catalog (LiveKit's `ControlBar` prefab hard-codes English, most visibly on the
// button that asks to start audio when the browser blocks autoplay).
import {
  ChatIcon,
  ChatToggle,
  DisconnectButton,
  LeaveIcon,
  MediaDeviceMenu,
  StartMediaButton,
  TrackToggle,
  useLocalParticipantPermissions,
} from "@livekit/components-react";
import { Track } from "livekit-client";
import { useState } from "react";

// The protocol's numbers for track sources, as in the token's canPublishSources.
const SOURCE_CODES = {
  [Track.Source.Camera]: 1,
  [Track.Source.Microphone]: 2,
  [Track.Source.ScreenShare]: 3,
};

// The sources with a device menu beside their toggle, and their labels' keys.
const DEVICES = [
  {
    source: Track.Source.Microphone,
    kind: "audioinput",
    label: "microphone",
    menuLabel: "microphoneMenu",
  },
  { source: Track.Source.Camera, kind: "videoinput", label: "camera", menuLabel: "cameraMenu" },
];

function labelled(text) {
  return { "aria-label": text, title: text };
}

function DeviceGroup({ source, kind, label, menuLabel }) {
  return (
    <div className="lk-button-group">
      <TrackToggle source={source} showIcon {...labelled(label)} />
      <div className="lk-button-group-menu">
        <MediaDeviceMenu kind={kind} {...labelled(menuLabel)} />
      </div>
    </div>
  );
}

export function RoomsControlBar({ labels, ...props }) {
  const permissions = useLocalParticipantPermissions();
  const [sharing, setSharing] = useState(false);
  const may = (source) =>
    Boolean(permissions?.canPublish) &&
    (permissions.canPublishSources.length === 0 ||
      permissions.canPublishSources.includes(SOURCE_CODES[source]));
  const canShareScreen =
    typeof navigator !== "undefined" && Boolean(navigator.mediaDevices?.getDisplayMedia);

  return (
    <div {...props} className="lk-control-bar">
      {DEVICES.filter((device) => may(device.source)).map((device) => (
        <DeviceGroup
          key={device.kind}
          source={device.source}
          kind={device.kind}
          label={labels[device.label]}
          menuLabel={labels[device.menuLabel]}
        />
      ))}
      {may(Track.Source.ScreenShare) && canShareScreen && (
        <TrackToggle
          source={Track.Source.ScreenShare}
          captureOptions={{ audio: true, selfBrowserSurface: "include" }}
          showIcon
          onChange={setSharing}
          {...labelled(sharing ? labels.stopShare : labels.shareScreen)}
        />
      )}
      {Boolean(permissions?.canPublishData) && (
        <ChatToggle {...labelled(labels.chat)}>
          <ChatIcon />
        </ChatToggle>
      )}
      <DisconnectButton {...labelled(labels.leave)}>
        <LeaveIcon />
      </DisconnectButton>
      <StartMediaButton label={labels.startMedia} />
    </div>
  );
}
