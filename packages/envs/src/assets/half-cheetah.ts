/**
 * HalfCheetah MJCF: a planar cheetah, 9 degrees of freedom (root x/z slides + pitch hinge, and
 * thigh/shin/foot hinges on the back and front legs), 6 torque motors.
 *
 * Physical numbers are those of Gymnasium's HalfCheetah-v4 model (total mass 14 kg, 0.01 s
 * timestep, joint stiffness/damping/armature, capsule legs of radius 0.046, motor gears
 * 120/90/60/120/60/30). Drawing elements are our own (a checkered floor, one light, a camera
 * following the torso); they do not touch the dynamics.
 *
 * qpos: rootx, rootz, rooty, bthigh, bshin, bfoot, fthigh, fshin, ffoot (qvel likewise).
 */
export const HALF_CHEETAH_XML = /* xml */ `
<mujoco model="half_cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <option timestep="0.01" gravity="0 0 -9.81"/>
  <default>
    <joint limited="true" armature="0.1" damping="0.01" stiffness="8" solreflimit="0.02 1" solimplimit="0 0.8 0.03"/>
    <geom contype="1" conaffinity="0" condim="3" friction="0.4 0.1 0.1" solref="0.02 1" solimp="0 0.8 0.01"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>

  <!-- Drawing only (a checkered floor, a light, a camera that follows the body): no physics. -->
  <asset>
    <texture name="floor" type="2d" builtin="checker" rgb1="0.16 0.19 0.23" rgb2="0.32 0.36 0.41" width="64" height="64"/>
    <material name="floor" texture="floor" texrepeat="40 40" reflectance="0.1"/>
  </asset>

  <worldbody>
    <light name="sun" type="directional" pos="0 0 4" dir="-0.3 0.3 -1" diffuse="0.8 0.8 0.8" specular="0.2 0.2 0.2"/>
    <geom name="floor" type="plane" material="floor" size="40 40 40" conaffinity="1" condim="3"/>

    <body name="torso" pos="0 0 0.7">

      <camera name="track" mode="trackcom" pos="0 -3 0.3" xyaxes="1 0 0 0 0 1"/>
      <!-- Unactuated planar root: no stiffness, damping or armature. -->
      <joint name="rootx" type="slide" axis="1 0 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rootz" type="slide" axis="0 0 1" limited="false" armature="0" damping="0" stiffness="0"/>
      <joint name="rooty" type="hinge" axis="0 1 0" limited="false" armature="0" damping="0" stiffness="0"/>
      <geom name="torso" type="capsule" fromto="-0.5 0 0 0.5 0 0" size="0.046"/>
      <geom name="head" type="capsule" pos="0.6 0 0.1" axisangle="0 1 0 0.87" size="0.046 0.15"/>

      <!-- Back leg -->
      <body name="bthigh" pos="-0.5 0 0">
        <joint name="bthigh" type="hinge" axis="0 1 0" range="-0.52 1.05" stiffness="240" damping="6"/>
        <geom name="bthigh" type="capsule" pos="0.1 0 -0.13" axisangle="0 1 0 -3.8" size="0.046 0.145"/>
        <body name="bshin" pos="0.16 0 -0.25">
          <joint name="bshin" type="hinge" axis="0 1 0" range="-0.785 0.785" stiffness="180" damping="4.5"/>
          <geom name="bshin" type="capsule" pos="-0.14 0 -0.07" axisangle="0 1 0 -2.03" size="0.046 0.15"/>
          <body name="bfoot" pos="-0.28 0 -0.14">
            <joint name="bfoot" type="hinge" axis="0 1 0" range="-0.4 0.785" stiffness="120" damping="3"/>
            <geom name="bfoot" type="capsule" pos="0.03 0 -0.097" axisangle="0 1 0 -0.27" size="0.046 0.094"/>
          </body>
        </body>
      </body>

      <!-- Front leg -->
      <body name="fthigh" pos="0.5 0 0">
        <joint name="fthigh" type="hinge" axis="0 1 0" range="-1 0.7" stiffness="180" damping="4.5"/>
        <geom name="fthigh" type="capsule" pos="-0.07 0 -0.12" axisangle="0 1 0 0.52" size="0.046 0.133"/>
        <body name="fshin" pos="-0.14 0 -0.24">
          <joint name="fshin" type="hinge" axis="0 1 0" range="-1.2 0.87" stiffness="120" damping="3"/>
          <geom name="fshin" type="capsule" pos="0.065 0 -0.09" axisangle="0 1 0 -0.6" size="0.046 0.106"/>
          <body name="ffoot" pos="0.13 0 -0.18">
            <joint name="ffoot" type="hinge" axis="0 1 0" range="-0.5 0.5" stiffness="60" damping="1.5"/>
            <geom name="ffoot" type="capsule" pos="0.045 0 -0.07" axisangle="0 1 0 -0.6" size="0.046 0.07"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>

  <actuator>
    <motor name="bthigh" joint="bthigh" gear="120"/>
    <motor name="bshin" joint="bshin" gear="90"/>
    <motor name="bfoot" joint="bfoot" gear="60"/>
    <motor name="fthigh" joint="fthigh" gear="120"/>
    <motor name="fshin" joint="fshin" gear="60"/>
    <motor name="ffoot" joint="ffoot" gear="30"/>
  </actuator>
</mujoco>
`;
