/**
 * MJCF for the Ant task (Ant-v4 and AntTruncatedObs-v2).
 *
 * Written for this package from the published physical numbers of the Gymnasium / gym
 * `ant.xml` (Schulman et al. 2015): a 0.25 m sphere torso with four two-link capsule legs,
 * density 5, RK4 at 0.01 s, hinge armature 1 and damping 1, 150 Nm/unit motors on all eight
 * hinges. Drawing elements are our own (a checkered floor, one light, a
 * camera following the torso); they do not touch the dynamics.
 *
 * Layout the tasks rely on (checked in the tests):
 * - nq = 15 (free joint 7 + 8 hinges), nv = 14, nu = 8, nbody = 14 (world, torso, 4 x 3 leg bodies).
 * - actuator order: hip_4, ankle_4, hip_1, ankle_1, hip_2, ankle_2, hip_3, ankle_3 (as published).
 * - the body named `torso` is the one whose x position gives the forward reward.
 */
export const ANT_XML = /* xml */ `
<mujoco model="ant">
  <compiler angle="degree" inertiafromgeom="true"/>
  <option timestep="0.01" integrator="RK4"/>

  <default>
    <joint limited="true" armature="1" damping="1"/>
    <geom condim="3" conaffinity="0" density="5.0" friction="1 0.5 0.5" margin="0.01"/>
  </default>

  <!-- Drawing only (a checkered floor, a light, a camera that follows the body): no physics. -->
  <asset>
    <texture name="floor" type="2d" builtin="checker" rgb1="0.16 0.19 0.23" rgb2="0.32 0.36 0.41" width="64" height="64"/>
    <material name="floor" texture="floor" texrepeat="40 40" reflectance="0.1"/>
  </asset>

  <worldbody>
    <light name="sun" type="directional" pos="0 0 4" dir="-0.3 0.3 -1" diffuse="0.8 0.8 0.8" specular="0.2 0.2 0.2"/>
    <geom name="floor" type="plane" material="floor" size="40 40 40" pos="0 0 0" condim="3" conaffinity="1"/>

    <body name="torso" pos="0 0 0.75">

      <camera name="track" mode="trackcom" pos="0 -4 1.5" xyaxes="1 0 0 0 0.35 0.94"/>
      <joint name="root" type="free" pos="0 0 0" limited="false" armature="0" damping="0" margin="0.01"/>
      <geom name="torso_geom" type="sphere" size="0.25" pos="0 0 0"/>

      <!-- leg 1: front left, +x +y -->
      <body name="front_left_leg" pos="0 0 0">
        <geom name="aux_1_geom" type="capsule" size="0.08" fromto="0 0 0 0.2 0.2 0"/>
        <body name="aux_1" pos="0.2 0.2 0">
          <joint name="hip_1" type="hinge" axis="0 0 1" pos="0 0 0" range="-30 30"/>
          <geom name="left_leg_geom" type="capsule" size="0.08" fromto="0 0 0 0.2 0.2 0"/>
          <body name="front_left_foot" pos="0.2 0.2 0">
            <joint name="ankle_1" type="hinge" axis="-1 1 0" pos="0 0 0" range="30 70"/>
            <geom name="left_ankle_geom" type="capsule" size="0.08" fromto="0 0 0 0.4 0.4 0"/>
          </body>
        </body>
      </body>

      <!-- leg 2: front right, -x +y -->
      <body name="front_right_leg" pos="0 0 0">
        <geom name="aux_2_geom" type="capsule" size="0.08" fromto="0 0 0 -0.2 0.2 0"/>
        <body name="aux_2" pos="-0.2 0.2 0">
          <joint name="hip_2" type="hinge" axis="0 0 1" pos="0 0 0" range="-30 30"/>
          <geom name="right_leg_geom" type="capsule" size="0.08" fromto="0 0 0 -0.2 0.2 0"/>
          <body name="front_right_foot" pos="-0.2 0.2 0">
            <joint name="ankle_2" type="hinge" axis="1 1 0" pos="0 0 0" range="-70 -30"/>
            <geom name="right_ankle_geom" type="capsule" size="0.08" fromto="0 0 0 -0.4 0.4 0"/>
          </body>
        </body>
      </body>

      <!-- leg 3: back left, -x -y -->
      <body name="back_leg" pos="0 0 0">
        <geom name="aux_3_geom" type="capsule" size="0.08" fromto="0 0 0 -0.2 -0.2 0"/>
        <body name="aux_3" pos="-0.2 -0.2 0">
          <joint name="hip_3" type="hinge" axis="0 0 1" pos="0 0 0" range="-30 30"/>
          <geom name="back_leg_geom" type="capsule" size="0.08" fromto="0 0 0 -0.2 -0.2 0"/>
          <body name="back_left_foot" pos="-0.2 -0.2 0">
            <joint name="ankle_3" type="hinge" axis="-1 1 0" pos="0 0 0" range="-70 -30"/>
            <geom name="third_ankle_geom" type="capsule" size="0.08" fromto="0 0 0 -0.4 -0.4 0"/>
          </body>
        </body>
      </body>

      <!-- leg 4: back right, +x -y -->
      <body name="right_back_leg" pos="0 0 0">
        <geom name="aux_4_geom" type="capsule" size="0.08" fromto="0 0 0 0.2 -0.2 0"/>
        <body name="aux_4" pos="0.2 -0.2 0">
          <joint name="hip_4" type="hinge" axis="0 0 1" pos="0 0 0" range="-30 30"/>
          <geom name="rightback_leg_geom" type="capsule" size="0.08" fromto="0 0 0 0.2 -0.2 0"/>
          <body name="back_right_foot" pos="0.2 -0.2 0">
            <joint name="ankle_4" type="hinge" axis="1 1 0" pos="0 0 0" range="30 70"/>
            <geom name="fourth_ankle_geom" type="capsule" size="0.08" fromto="0 0 0 0.4 -0.4 0"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>

  <actuator>
    <motor name="hip_4" joint="hip_4" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="ankle_4" joint="ankle_4" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="hip_1" joint="hip_1" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="ankle_1" joint="ankle_1" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="hip_2" joint="hip_2" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="ankle_2" joint="ankle_2" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="hip_3" joint="hip_3" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
    <motor name="ankle_3" joint="ankle_3" gear="150" ctrllimited="true" ctrlrange="-1 1"/>
  </actuator>
</mujoco>
`;
